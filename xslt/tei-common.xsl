<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared templates for TEI letters → HTML. XSLT 1.0: runs in lxml and in xsltproc.

  The stylesheets read a letter prepared by teitools.render.prepare: note numbers (tt:n),
  register entries (tt:entry), safe link targets (tt:href, tt:label), class names from
  @rend/@rendition/@type/@place (tt:class) and safe CSS (tt:style). Without them the text
  is still all shown, only unnumbered and unlinked.

  Modes:
    text       the letter, both views in one pass: what only the reading view shows has
               class="r" (expansions, corrections, regularisations, joined words), what only
               the diplomatic view shows has class="d" (abbreviations, sic and orig forms,
               deletions, line breaks). Page breaks and furniture are placed by the page's
               CSS (margin in reading, in place in diplomatic)
    meta       the metadata panel, from the teiHeader
    note-body  what a note says: its text, or what a correction corrected
    notes      one numbered note of the list
  Every TEI element is shown: blocks as div, the rest as span, by one template per family;
  any element without one (another namespace too) falls to the last, which shows its text.
  Blocks are div, never p: an HTML parser closes a p at the first block inside it, and a
  span of one view would lose what it holds.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-teitools:render"
    exclude-result-prefixes="tei tt">
  <xsl:import href="versions-meta.xsl"/>

  <!-- where names link to: the register page (register.html#id), or, when register-base is
       set (the site), one page per entry ({register-base}id.html) -->
  <xsl:param name="register-page" select="'register.html'"/>
  <xsl:param name="register-base" select="''"/>
  <!-- both empty: there is no register to link to, and names are not links -->
  <xsl:variable name="linked" select="$register-page != '' or $register-base != ''"/>

  <!-- the letter's title: teitools passes the one its header gives (or its correspDesc
       makes); alone, the stylesheet takes title[@level='a'], else the first title -->
  <xsl:variable name="titles" select="/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
  <xsl:param name="title" select="normalize-space($titles[@level='a'][1] | $titles[not(../tei:title[@level='a'])][1])"/>

  <xsl:template name="register-href">
    <xsl:choose>
      <xsl:when test="$register-base != ''"><xsl:value-of select="concat($register-base, @tt:entry, '.html')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($register-page, '#', @tt:entry)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- class (the element's name, then what tt:class says), style and language -->
  <xsl:template name="attrs">
    <xsl:param name="class" select="local-name()"/>
    <xsl:attribute name="class"><xsl:value-of select="normalize-space(concat($class, ' ', @tt:class))"/></xsl:attribute>
    <xsl:if test="@tt:style"><xsl:attribute name="style"><xsl:value-of select="@tt:style"/></xsl:attribute></xsl:if>
    <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
  </xsl:template>

  <!-- ============================================================ metadata panel -->
  <xsl:template match="tei:teiHeader" mode="meta">
    <xsl:variable name="corresp" select="tei:profileDesc/tei:correspDesc"/>
    <xsl:variable name="sent" select="$corresp/tei:correspAction[@type='sent']"/>
    <xsl:variable name="received" select="$corresp/tei:correspAction[@type='received']"/>
    <xsl:variable name="ms" select="(tei:fileDesc/tei:sourceDesc//tei:msDesc)[1]"/>
    <dl class="metadata">
      <dt>From</dt>
      <dd><xsl:call-template name="names"><xsl:with-param name="names" select="$sent/tei:persName | $sent/tei:orgName | $sent/tei:name | $sent/tei:rs"/></xsl:call-template></dd>
      <dt>To</dt>
      <dd><xsl:call-template name="names"><xsl:with-param name="names" select="$received/tei:persName | $received/tei:orgName | $received/tei:name | $received/tei:rs"/></xsl:call-template></dd>
      <dt>Date</dt>
      <dd><xsl:apply-templates select="($sent/tei:date | $received/tei:date[not($sent/tei:date)])[1]" mode="meta"/>
        <xsl:if test="not($sent/tei:date | $received/tei:date)">undated</xsl:if></dd>
      <xsl:for-each select="$corresp/tei:correspAction/tei:placeName | $corresp/tei:correspAction/tei:settlement">
        <dt><xsl:choose><xsl:when test="../@type='sent'">Place of sending</xsl:when><xsl:otherwise>Place of receipt</xsl:otherwise></xsl:choose></dt>
        <dd><xsl:apply-templates select="." mode="meta"/></dd>
      </xsl:for-each>
      <xsl:for-each select="$ms/tei:msIdentifier/tei:settlement | $ms/tei:msIdentifier/tei:institution | $ms/tei:msIdentifier/tei:repository">
        <dt><xsl:choose><xsl:when test="self::tei:settlement">Held in</xsl:when><xsl:when test="self::tei:institution">Institution</xsl:when><xsl:otherwise>Repository</xsl:otherwise></xsl:choose></dt>
        <dd><xsl:value-of select="normalize-space(.)"/></dd>
      </xsl:for-each>
      <xsl:if test="$ms/tei:msIdentifier/tei:collection">
        <dt>Collection</dt>
        <dd><xsl:value-of select="$ms/tei:msIdentifier/tei:collection"/>
          <xsl:for-each select="$ms/tei:msIdentifier/tei:idno[@type='box']">, Box <xsl:value-of select="."/></xsl:for-each></dd>
      </xsl:if>
      <xsl:for-each select="$ms/tei:msIdentifier/tei:idno[not(@type='box')]">
        <dt>Identifier</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
      </xsl:for-each>
      <xsl:for-each select="$ms/tei:additional//tei:item[@n]">
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

  <xsl:template name="names">
    <xsl:param name="names"/>
    <xsl:for-each select="$names">
      <xsl:if test="position() > 1">, </xsl:if>
      <xsl:apply-templates select="." mode="meta"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="*" mode="meta">
    <xsl:choose>
      <xsl:when test="@tt:entry and $linked">
        <a class="name {local-name()}"><xsl:attribute name="href"><xsl:call-template name="register-href"/></xsl:attribute><xsl:value-of select="normalize-space(.)"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@cert and @cert != 'high'"> <span class="cert" title="certainty: {@cert}"> (<xsl:value-of select="@cert"/> certainty)</span></xsl:if>
  </xsl:template>

  <xsl:template match="tei:date" mode="meta">
    <xsl:choose>
      <xsl:when test="@when"><time datetime="{@when}"><xsl:value-of select="@when"/></time></xsl:when>
      <xsl:when test="@notBefore or @notAfter or @from or @to">undated; between <xsl:value-of select="@notBefore | @from"/> and <xsl:value-of select="@notAfter | @to"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@cert and @cert != 'high'"> (<xsl:value-of select="@cert"/> certainty)</xsl:if>
  </xsl:template>

  <!-- ============================================================ the text: blocks -->
  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:div
      | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7
      | tei:opener | tei:closer | tei:postscript | tei:p | tei:ab | tei:dateline | tei:salute
      | tei:signed | tei:address | tei:addrLine | tei:lg | tei:l | tei:list | tei:item
      | tei:table | tei:row | tei:cell | tei:figure | tei:figDesc | tei:floatingText
      | tei:argument | tei:epigraph | tei:byline | tei:trailer | tei:titlePage | tei:docTitle
      | tei:titlePart | tei:docImprint | tei:sp | tei:spGrp | tei:speaker
      | tei:list/tei:label
      | tei:seg[contains(concat(' ', normalize-space(@rend), ' '), ' left ')
          or contains(concat(' ', normalize-space(@rend), ' '), ' right ')
          or contains(concat(' ', normalize-space(@rend), ' '), ' center ')
          or contains(concat(' ', normalize-space(@rend), ' '), ' centre ')]" mode="text">
    <div><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <!-- the TEI text element: not "text", the class of the page's container -->
  <xsl:template match="tei:text" mode="text">
    <div><xsl:call-template name="attrs"><xsl:with-param name="class" select="'tei-text'"/></xsl:call-template><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <xsl:template match="tei:head" mode="text">
    <div role="heading" aria-level="3"><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <!-- lists of persons, places, works ... inside a letter are the edition's register: their
       entries have pages of their own, and names link to them -->
  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listBibl
      | tei:listEvent | tei:listNym | tei:listObject" mode="text"/>

  <!-- ============================================================ names and links -->
  <!-- names: a link to their register entry where they have one (tt:entry). (A pattern of
       a wildcard with a predicate, tei:*[@tt:entry], costs libxslt a pass over the siblings
       of every element: quadratic in a long letter.) -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs
      | tei:title | tei:bibl | tei:author | tei:editor | tei:settlement | tei:country
      | tei:region | tei:district | tei:bloc | tei:geogName | tei:eventName | tei:objectName"
      mode="text">
    <xsl:choose>
      <xsl:when test="@tt:entry and $linked">
        <a><xsl:call-template name="attrs"><xsl:with-param name="class" select="concat('name ', local-name())"/></xsl:call-template>
          <xsl:attribute name="href"><xsl:call-template name="register-href"/></xsl:attribute>
          <xsl:apply-templates mode="text"/></a>
      </xsl:when>
      <xsl:otherwise><span><xsl:call-template name="attrs"><xsl:with-param name="class" select="concat('name ', local-name())"/></xsl:call-template><xsl:apply-templates mode="text"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a reference: a link where it leads somewhere safe; with no text, it shows the title of
       the letter it names, else its target -->
  <xsl:template match="tei:ref | tei:ptr" mode="text">
    <xsl:choose>
      <xsl:when test="@tt:href">
        <a href="{@tt:href}"><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/><xsl:value-of select="@tt:label"/></a>
      </xsl:when>
      <xsl:otherwise><span><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/><xsl:value-of select="@tt:label"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:date[@when]" mode="text">
    <time datetime="{@when}"><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/></time>
  </xsl:template>

  <!-- ============================================================ the two views -->
  <!-- choice: the reading view shows the editor's form (corr, reg, expan), the diplomatic
       view the source's (sic, orig, abbr); a choice of other alternatives shows its first,
       and the diplomatic view every alternative no view picked, after " / " -->
  <xsl:template match="tei:choice" mode="text">
    <xsl:variable name="editorial" select="(tei:corr | tei:reg | tei:expan)[1]"/>
    <xsl:variable name="source" select="(tei:sic | tei:orig | tei:abbr)[1]"/>
    <xsl:variable name="r" select="$editorial | *[not($editorial)][1]"/>
    <xsl:variable name="d" select="$source | *[not($source)][1]"/>
    <xsl:choose>
      <xsl:when test="count($r | $d) = 1">
        <span class="choice"><xsl:apply-templates select="$r/node()" mode="text"/></span>
      </xsl:when>
      <xsl:otherwise>
        <span class="r {local-name($r)}" title="{normalize-space($d)}"><xsl:apply-templates select="$r/node()" mode="text"/></span>
        <span class="d {local-name($d)}" title="{normalize-space($r)}"><xsl:apply-templates select="$d/node()" mode="text"/></span>
      </xsl:otherwise>
    </xsl:choose>
    <!-- a second correction (the collation's beside the converter's) is no alternative of
         the source: the reading view shows the first, its note says where it comes from -->
    <xsl:variable name="others" select="*[count(. | $r | $d) > count($r | $d)][not($editorial and (self::tei:corr or self::tei:reg or self::tei:expan))]"/>
    <xsl:if test="$others">
      <span class="d alternatives"><xsl:for-each select="$others"> / <xsl:apply-templates select="node()" mode="text"/></xsl:for-each></span>
    </xsl:if>
    <xsl:if test="@tt:n"><xsl:call-template name="note-mark"/></xsl:if>
  </xsl:template>

  <!-- an expansion's letters: read in the reading view, in parentheses in the diplomatic -->
  <xsl:template match="tei:ex" mode="text">
    <span class="ex"><span class="d">(</span><xsl:apply-templates mode="text"/><span class="d">)</span></span>
  </xsl:template>
  <xsl:template match="tei:am" mode="text">
    <span class="d am"><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <!-- deleted text: struck through in the diplomatic view, left out of the reading view,
       unless a restore takes the deletion back -->
  <xsl:template match="tei:del" mode="text">
    <span><xsl:call-template name="attrs"><xsl:with-param name="class" select="'d del'"/></xsl:call-template><xsl:apply-templates mode="text"/></span>
  </xsl:template>
  <xsl:template match="tei:del[ancestor::tei:restore]" mode="text">
    <span><xsl:call-template name="attrs"><xsl:with-param name="class" select="'del restored'"/></xsl:call-template><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <!-- line breaks: a space in reading (none within a word), a break in the diplomatic view -->
  <xsl:template match="tei:lb" mode="text"><span class="r"><xsl:text> </xsl:text></span><br class="d"/></xsl:template>
  <xsl:template match="tei:lb[@break='no']" mode="text"><br class="d"/></xsl:template>
  <xsl:template match="tei:lb[@tt:lead]" mode="text" priority="1"><span class="r"><xsl:text> </xsl:text></span></xsl:template>

  <!-- page and column breaks, running matter: in the margin for reading, where they stand
       in the diplomatic view -->
  <xsl:template match="tei:pb" mode="text">
    <div class="pb" role="note"><xsl:if test="@n"><xsl:attribute name="data-n"><xsl:value-of select="@n"/></xsl:attribute>[p. <xsl:value-of select="@n"/>]</xsl:if></div>
  </xsl:template>
  <xsl:template match="tei:cb" mode="text">
    <div class="cb" role="note"><xsl:if test="@n">[col. <xsl:value-of select="@n"/>]</xsl:if></div>
  </xsl:template>
  <xsl:template match="tei:fw" mode="text">
    <div><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/></div>
  </xsl:template>

  <!-- ============================================================ what the editor marks -->
  <xsl:template match="tei:supplied" mode="text">
    <span><xsl:call-template name="attrs"/>[<xsl:apply-templates mode="text"/>]</span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="text">
    <span class="gap" title="{normalize-space(concat('text missing ', @reason, ' ', @quantity, ' ', @unit))}">[…]</span>
  </xsl:template>

  <xsl:template match="tei:space" mode="text">
    <span><xsl:call-template name="attrs"/><xsl:text> </xsl:text></span>
  </xsl:template>
  <xsl:template match="tei:space[@unit='line' or @unit='lines']" mode="text">
    <div><xsl:call-template name="attrs"/><xsl:text> </xsl:text></div>
  </xsl:template>

  <xsl:template match="tei:graphic" mode="text">
    <span class="graphic">[image]</span>
  </xsl:template>

  <xsl:template match="tei:handShift" mode="text">
    <span class="handShift" title="{normalize-space(concat('hand: ', @new, ' ', @medium))}"><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <!-- what an editor records about the text, not text: index entries, certainty, links -->
  <xsl:template match="tei:index | tei:alt | tei:join | tei:link | tei:certainty
      | tei:precision | tei:respons" mode="text"/>

  <!-- ============================================================ notes -->
  <xsl:template match="tei:note" mode="text"><xsl:call-template name="note-mark"/></xsl:template>

  <xsl:template name="note-mark">
    <xsl:choose>
      <xsl:when test="@tt:inlink"><sup class="noteref"><xsl:value-of select="@tt:n"/></sup></xsl:when>
      <xsl:otherwise><a class="noteref" href="#note-{@tt:n}" id="ref-{@tt:n}"><sup><xsl:value-of select="@tt:n"/></sup></a></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note" mode="note-body"><xsl:apply-templates mode="text"/></xsl:template>

  <xsl:template match="tei:choice" mode="note-body">Read as “<xsl:apply-templates select="tei:sic/node()" mode="text"/>”; corrected to “<xsl:apply-templates select="tei:corr[1]/node()" mode="text"/>”<xsl:if test="tei:corr[1]/@cert"> (<xsl:value-of select="tei:corr[1]/@cert"/> certainty<xsl:apply-templates select="tei:corr[1]" mode="correction-source"/>)</xsl:if>.</xsl:template>

  <xsl:template match="*" mode="notes">
    <li id="note-{@tt:n}"><xsl:apply-templates select="." mode="note-body"/><xsl:text> </xsl:text><a class="backref" href="#ref-{@tt:n}" aria-label="back to the text">↩</a></li>
  </xsl:template>

  <!-- ============================================================ everything else -->
  <xsl:template match="tei:*" mode="text">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <xsl:template match="*" mode="text">
    <span class="other"><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="text"/>

</xsl:stylesheet>
