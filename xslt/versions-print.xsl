<?xml version="1.0" encoding="UTF-8"?>
<!-- A TEI collation (`teitools collate`) → print HTML for WeasyPrint: the reading text of
     the base witness in numbered lines (lb/@n, every fifth number shown), then the
     apparatus of variants keyed by line. XSLT 1.0. Parameters: lang, css (the page's
     stylesheets, space separated: the letters' print.css, and versions-print.css for what
     is the versions' own). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-teitools:render"
    exclude-result-prefixes="tei tt">
  <xsl:import href="versions-common.xsl"/>
  <xsl:key name="loc" match="tei:app" use="@loc"/>  <!-- the variants of a line -->
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="css" select="'print.css versions-print.css'"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$title"/></title>
        <xsl:call-template name="stylesheets"><xsl:with-param name="list" select="normalize-space($css)"/></xsl:call-template>
      </head>
      <body class="versions-print">
        <article id="{tei:TEI/@xml:id}">
          <h1 class="running-title"><xsl:value-of select="$title"/></h1>
          <!-- headings stand between the parts, not inside them: Typst, unlike a browser,
               keeps no space above a part's first heading -->
          <h2>Witnesses</h2>
          <dl class="sigla">
            <xsl:for-each select="$witnesses">
              <dt><xsl:value-of select="@n"/></dt>
              <dd><xsl:value-of select="tei:bibl/tei:ref"/> (<xsl:value-of select="tei:bibl/tei:idno"/>): <xsl:value-of select="tei:note[@type='kind']"/></dd>
            </xsl:for-each>
          </dl>
          <h2>Text of <xsl:value-of select="$base/@n"/></h2>
          <section class="reading-text" lang="{tei:TEI/@xml:lang}">
            <xsl:for-each select="//tei:div[@type='collation']/tei:p">
              <p class="lines"><xsl:apply-templates select="tt:line" mode="print"/></p>
            </xsl:for-each>
          </section>
          <h2>Apparatus</h2>
          <section class="apparatus">
            <xsl:for-each select="//tei:div[@type='collation']//tei:app[generate-id() = generate-id(key('loc', @loc)[1])]">
              <div class="apparatus-line">
                <span class="app-line"><xsl:value-of select="@loc"/></span>
                <xsl:text> </xsl:text>
                <xsl:for-each select="key('loc', @loc)">
                  <xsl:if test="position() > 1"><xsl:text> · </xsl:text></xsl:if>
                  <xsl:apply-templates select="." mode="print-entry"/>
                </xsl:for-each>
              </div>
            </xsl:for-each>
          </section>
        </article>
      </body>
    </html>
  </xsl:template>

  <!-- the base text: its lines as the collation numbers them -->
  <xsl:template match="text()" mode="print"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="tt:line" mode="print">
    <xsl:if test="position() > 1"><br/></xsl:if>
    <span class="line-no"><xsl:if test="@n mod 5 = 0"><xsl:value-of select="@n"/></xsl:if></span>
    <xsl:apply-templates select="node()[not(self::tei:lb)]" mode="print"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="print">
    <br/><span class="line-no"><xsl:if test="@n mod 5 = 0"><xsl:value-of select="@n"/></xsl:if></span>
  </xsl:template>
  <xsl:template match="tei:app" mode="print"><xsl:apply-templates select="tei:lem/node()" mode="print"/></xsl:template>
  <xsl:template match="tei:seg[@type='handwriting']" mode="print"><em class="hand"><xsl:apply-templates mode="print"/></em></xsl:template>
  <xsl:template match="tei:del" mode="print"><del><xsl:apply-templates mode="print"/></del></xsl:template>
  <xsl:template match="tei:gap" mode="print"><span class="gap">[…]</span></xsl:template>

  <xsl:template match="tei:app" mode="print-entry">
    <span class="lem"><xsl:call-template name="lemma-reference"/></span>
    <xsl:text>] </xsl:text>
    <xsl:for-each select="tei:rdg">
      <xsl:if test="position() > 1">; </xsl:if>
      <span class="rdg"><xsl:apply-templates select="." mode="entry-reading"/></span>
      <xsl:text> </xsl:text>
      <span class="wit"><xsl:call-template name="sigla"><xsl:with-param name="wit" select="@wit"/></xsl:call-template></span>
      <xsl:if test="@type = 'ocr' or @type = 'spelling'">
        <xsl:text> </xsl:text><span class="type">(<xsl:call-template name="type-label"><xsl:with-param name="type" select="@type"/></xsl:call-template>)</span>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
