<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared templates for TEI letters → HTML. XSLT 1.0: runs in lxml and in xsltproc.

  Modes:
    text   the letter, both views in one pass: what only the reading view shows has
           class="r" (corrections, joined words), what only the diplomatic view shows has
           class="d" (line breaks, sic and orig forms); page furniture and page breaks are
           placed by the page's CSS (margin in reading, in place in diplomatic)
    meta   the metadata panel, from the teiHeader
    notes  numbered notes: corrections and editorial notes
  Any element without a template of its own falls through to the built-in rules: its text
  is shown, never dropped.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">
  <xsl:import href="versions-meta.xsl"/>

  <!-- where names link to: the register page made from register.xml (register.html#id),
       or, when register-base is set (the site), one page per entry ({register-base}id.html) -->
  <xsl:param name="register-page" select="'register.html'"/>
  <xsl:param name="register-base" select="''"/>
  <!-- both empty: there is no register to link to, and names are not links -->
  <xsl:variable name="linked" select="$register-page != '' or $register-base != ''"/>

  <xsl:template name="register-href">
    <xsl:param name="id"/>
    <xsl:choose>
      <xsl:when test="$register-base != ''"><xsl:value-of select="concat($register-base, $id, '.html')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($register-page, '#', $id)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ metadata panel -->
  <xsl:template match="tei:teiHeader" mode="meta">
    <xsl:variable name="corresp" select="tei:profileDesc/tei:correspDesc"/>
    <xsl:variable name="ms" select="tei:fileDesc/tei:sourceDesc/tei:msDesc"/>
    <dl class="metadata">
      <dt>From</dt>
      <dd><xsl:apply-templates select="$corresp/tei:correspAction[@type='sent']/tei:persName" mode="meta"/></dd>
      <dt>To</dt>
      <dd><xsl:apply-templates select="$corresp/tei:correspAction[@type='received']/tei:persName" mode="meta"/></dd>
      <dt>Date</dt>
      <dd><xsl:apply-templates select="$corresp/tei:correspAction[@type='sent']/tei:date" mode="meta"/>
        <xsl:if test="not($corresp/tei:correspAction[@type='sent']/tei:date)">undated</xsl:if></dd>
      <xsl:for-each select="$corresp/tei:correspAction/tei:placeName">
        <dt><xsl:choose><xsl:when test="../@type='sent'">Place of sending</xsl:when><xsl:otherwise>Place of receipt</xsl:otherwise></xsl:choose></dt>
        <dd><xsl:apply-templates select="." mode="meta"/></dd>
      </xsl:for-each>
      <xsl:if test="$ms/tei:msIdentifier/tei:repository">
        <dt>Repository</dt><dd><xsl:value-of select="$ms/tei:msIdentifier/tei:repository"/></dd>
      </xsl:if>
      <xsl:if test="$ms/tei:msIdentifier/tei:collection">
        <dt>Collection</dt>
        <dd><xsl:value-of select="$ms/tei:msIdentifier/tei:collection"/>
          <xsl:for-each select="$ms/tei:msIdentifier/tei:idno[@type='box']">, Box <xsl:value-of select="."/></xsl:for-each></dd>
      </xsl:if>
      <xsl:for-each select="$ms/tei:msIdentifier/tei:idno[not(@type='box')]">
        <dt>Identifier</dt><dd><xsl:value-of select="."/></dd>
      </xsl:for-each>
      <xsl:for-each select="$ms/tei:additional//tei:item">
        <dt class="status-{@n}"><xsl:value-of select="concat(translate(substring(@n, 1, 1), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), substring(@n, 2))"/></dt>
        <dd><xsl:value-of select="."/></dd>
      </xsl:for-each>
      <xsl:for-each select="tei:fileDesc/tei:sourceDesc/tei:bibl[@type='transcription']">
        <dt>Source file</dt>
        <dd><xsl:value-of select="substring-after(tei:title, 'OCR text file ')"/>
          <xsl:if test="tei:citedRange"> (lines <xsl:value-of select="tei:citedRange/@from"/>–<xsl:value-of select="tei:citedRange/@to"/>)</xsl:if></dd>
      </xsl:for-each>
      <xsl:apply-templates select="tei:fileDesc/tei:notesStmt" mode="versions-meta"/>
    </dl>
    <xsl:if test="$corresp/tei:note[@type='inference']">
      <details class="inference"><summary>How these facts were found</summary>
        <p><xsl:value-of select="$corresp/tei:note[@type='inference']"/></p></details>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:persName | tei:placeName" mode="meta">
    <!-- the register entry named by @sameAs or @ref ("register.xml#id"), if any -->
    <xsl:variable name="after" select="substring-after(concat(' ', @sameAs, ' ', @ref, ' '), ' register.xml#')"/>
    <xsl:variable name="id" select="substring-before($after, ' ')"/>
    <xsl:choose>
      <xsl:when test="$id != '' and $linked">
        <a class="name {local-name()}"><xsl:attribute name="href"><xsl:call-template name="register-href"><xsl:with-param name="id" select="$id"/></xsl:call-template></xsl:attribute><xsl:value-of select="."/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@cert and @cert != 'high'"> <span class="cert" title="certainty: {@cert}"> (<xsl:value-of select="@cert"/> certainty)</span></xsl:if>
  </xsl:template>

  <xsl:template match="tei:date" mode="meta">
    <xsl:choose>
      <xsl:when test="@when"><time datetime="{@when}"><xsl:value-of select="@when"/></time></xsl:when>
      <xsl:otherwise>undated; between <xsl:value-of select="@notBefore"/> and <xsl:value-of select="@notAfter"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@cert and @cert != 'high'"> (<xsl:value-of select="@cert"/> certainty)</xsl:if>
  </xsl:template>

  <!-- ============================================================ the text
       One pass renders both views: what differs between them is marked
       class="r" (reading view only) or class="d" (diplomatic view only), and the
       page's view switch shows one set (CSS). Without JavaScript the reading view shows. -->
  <xsl:template match="tei:div" mode="text">
    <div class="tei-div {@type}"><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript" mode="text">
    <div class="{local-name()}"><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <xsl:template match="tei:p | tei:dateline | tei:salute | tei:signed" mode="text">
    <p class="{local-name()}"><xsl:apply-templates mode="text"/></p>
  </xsl:template>

  <xsl:template match="tei:ab" mode="text">
    <div class="ab {@type}"><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <xsl:template match="tei:address" mode="text">
    <address><xsl:apply-templates mode="text"/></address>
  </xsl:template>

  <xsl:template match="tei:addrLine" mode="text">
    <span class="addrLine"><xsl:apply-templates mode="text"/></span><br/>
  </xsl:template>

  <!-- names: linked to the register -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name" mode="text">
    <xsl:choose>
      <xsl:when test="starts-with(@ref, 'register.xml#') and $linked">
        <a class="name {local-name()}">
          <xsl:attribute name="href"><xsl:call-template name="register-href"><xsl:with-param name="id" select="substring-after(@ref, '#')"/></xsl:call-template></xsl:attribute>
          <xsl:apply-templates mode="text"/>
        </a>
      </xsl:when>
      <xsl:otherwise><span class="name {local-name()}"><xsl:apply-templates mode="text"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:foreign" mode="text">
    <span class="foreign" lang="{@xml:lang}"><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <xsl:template match="tei:date" mode="text">
    <time datetime="{@when}"><xsl:apply-templates mode="text"/></time>
  </xsl:template>

  <xsl:template match="tei:seg | tei:add | tei:unclear" mode="text">
    <span class="{local-name()} {@type} {@place}"><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <!-- line breaks: a space in reading, a break in the diplomatic view -->
  <xsl:template match="tei:lb" mode="text"><span class="r"><xsl:text> </xsl:text></span><br class="d"/></xsl:template>
  <xsl:template match="tei:lb[@break='no']" mode="text"><br class="d"/></xsl:template>

  <!-- corrections and regularisations: corrected form in reading, source form in diplomatic -->
  <xsl:template match="tei:choice" mode="text">
    <span class="r corr" title="read as: {tei:sic | tei:orig}"><xsl:apply-templates select="(tei:corr | tei:reg)[1]/node()" mode="text"/></span>
    <span class="d sic"><xsl:apply-templates select="tei:sic/node() | tei:orig/node()" mode="text"/></span>
    <xsl:if test="tei:corr"><xsl:call-template name="noteref"/></xsl:if>
  </xsl:template>

  <!-- running matter: in the margin for reading, where it stands for the diplomatic view -->
  <xsl:template match="tei:fw" mode="text">
    <span class="fw fw-{@type}"><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <xsl:template match="tei:pb" mode="text">
    <span class="pb" role="note" data-n="{@n}">[p. <xsl:value-of select="@n"/>]</span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="text">
    <span class="gap" title="text missing ({@reason})">[…]</span>
  </xsl:template>

  <xsl:template match="tei:note" mode="text"><xsl:call-template name="noteref"/></xsl:template>

  <xsl:template name="noteref">
    <a class="noteref" href="#note-{generate-id()}" id="ref-{generate-id()}"><sup><xsl:number count="tei:choice[tei:corr] | tei:note" level="any" from="tei:body"/></sup></a>
  </xsl:template>

  <!-- ============================================================ notes -->
  <xsl:template match="tei:choice[tei:corr]" mode="notes">
    <li id="note-{generate-id()}">Read as “<xsl:value-of select="tei:sic"/>”; corrected to “<xsl:value-of select="tei:corr"/>” (<xsl:value-of select="tei:corr/@cert"/> certainty<xsl:apply-templates select="tei:corr[1]" mode="correction-source"/>). <a href="#ref-{generate-id()}" aria-label="back to the text">↩</a></li>
  </xsl:template>

  <xsl:template match="tei:note" mode="notes">
    <li id="note-{generate-id()}"><xsl:value-of select="."/> <a href="#ref-{generate-id()}" aria-label="back to the text">↩</a></li>
  </xsl:template>

</xsl:stylesheet>
