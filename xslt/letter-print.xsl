<?xml version="1.0" encoding="UTF-8"?>
<!-- A TEI letter → print-oriented HTML for WeasyPrint (CSS Paged Media): title block, the
     reading view, notes and corrections as footnotes, page breaks in the margin. XSLT 1.0. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-teitools:render"
    exclude-result-prefixes="tei tt">
  <xsl:import href="tei-common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="css" select="'print.css'"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$title"/></title>
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
      <h1 class="running-title"><xsl:value-of select="$title"/></h1>
      <xsl:apply-templates select="tei:teiHeader" mode="meta"/>
      <div class="text" lang="{@xml:lang}">
        <xsl:apply-templates select="tei:text" mode="text"/>
      </div>
      <xsl:if test="$endnotes">
        <section class="endnotes"><h2>Notes</h2><ol><xsl:apply-templates select="//*[@tt:n]" mode="notes"/></ol></section>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- in print, notes and corrections are footnotes at the foot of the page; a note inside a
       note stands in brackets where it is. A letter of more notes than footnotes-up-to has
       them as endnotes: WeasyPrint checks every footnote still to place on every line it
       lays out, which is quadratic in a letter of thousands -->
  <xsl:param name="footnotes-up-to" select="300"/>
  <xsl:variable name="endnotes" select="count(//*[@tt:n]) > $footnotes-up-to"/>
  <xsl:template name="note-mark">
    <xsl:choose>
      <xsl:when test="$endnotes"><sup class="endnote-call"><xsl:value-of select="@tt:n"/></sup></xsl:when>
      <xsl:otherwise><span class="footnote"><xsl:apply-templates select="." mode="note-body"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:note[ancestor::tei:note]" mode="text">
    <span class="inner-note"> [<xsl:apply-templates mode="text"/>]</span>
  </xsl:template>

  <!-- whitespace collapsed here: WeasyPrint collapses it in the text but not in footnotes,
       whose raw line breaks it cannot lay out ("Got ' \n' between two lines") -->
  <xsl:template match="text()" mode="text">
    <xsl:variable name="words" select="normalize-space(.)"/>
    <xsl:variable name="space" select="' &#9;&#10;&#13;'"/>
    <xsl:if test="string-length(.) > 0 and translate(substring(., 1, 1), $space, '') = ''"><xsl:text> </xsl:text></xsl:if>
    <xsl:value-of select="$words"/>
    <xsl:if test="$words != '' and translate(substring(., string-length(.)), $space, '') = ''"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>
</xsl:stylesheet>
