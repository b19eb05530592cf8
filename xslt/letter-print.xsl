<?xml version="1.0" encoding="UTF-8"?>
<!-- A TEI letter → print-oriented HTML for WeasyPrint (CSS Paged Media): title block, the
     reading view, corrections and notes as footnotes, page breaks in the margin. XSLT 1.0. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">
  <xsl:import href="tei-common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="css" select="'print.css'"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="//tei:titleStmt/tei:title"/></title>
        <link rel="stylesheet" href="{$css}"/>
      </head>
      <body class="view-reading print">
        <xsl:apply-templates select="tei:TEI" mode="print"/>
      </body>
    </html>
  </xsl:template>

  <!-- one letter: also used for each letter of a combined volume -->
  <xsl:template match="tei:TEI" mode="print">
    <article class="letter-print" id="{@xml:id}">
      <h1 class="running-title"><xsl:value-of select="tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/></h1>
      <xsl:apply-templates select="tei:teiHeader" mode="meta"/>
      <div class="text" lang="{@xml:lang}">
        <xsl:apply-templates select="tei:text/tei:body" mode="text"/>
      </div>
    </article>
  </xsl:template>

  <!-- in print, corrections and notes are footnotes at the foot of the page -->
  <xsl:template name="noteref"/>
  <xsl:template match="tei:choice[tei:corr]" mode="text">
    <span class="r corr"><xsl:apply-templates select="tei:corr[1]/node()" mode="text"/></span>
    <span class="footnote">Read as “<xsl:value-of select="tei:sic"/>”; corrected (<xsl:value-of select="tei:corr/@cert"/> certainty<xsl:apply-templates select="tei:corr[1]" mode="correction-source"/>).</span>
  </xsl:template>
  <xsl:template match="tei:note" mode="text">
    <span class="footnote"><xsl:value-of select="."/></span>
  </xsl:template>
</xsl:stylesheet>
