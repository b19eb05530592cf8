<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared templates for a TEI collation (parallel segmentation, `teitools collate`) → HTML,
  for the web page (versions-html.xsl) and the print edition (versions-print.xsl).
  XSLT 1.0.

  Keys: "id" (any element by xml:id), "line" (the nodes of the base text after each lb).
  Modes:
    reading   the words of a reading: handwritten ones in italics, deleted ones struck
              through, text lost as […]
  Named templates: type-label (the kind of a variant in words), sigla (the witnesses of
  @wit, by siglum), lemma-reference (the lemma, or the word before an addition),
  stylesheets (a link to each of a list).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-teitools:render"
    exclude-result-prefixes="tei tt">

  <!-- the collation is prepared by teitools.render.prepare.prepare_collation: its lines
       in tt:line, the words around each addition in tt:after and tt:before (what XSLT 1.0
       would find by walking the document for every node) -->
  <xsl:key name="id" match="tei:*" use="@xml:id"/>

  <xsl:variable name="witnesses" select="/tei:TEI/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:listWit/tei:witness"/>
  <xsl:variable name="base" select="$witnesses[1]"/>

  <!-- ============================================================ readings -->
  <xsl:template match="tei:seg[@type='handwriting']" mode="reading">
    <em class="hand" title="handwritten"><xsl:apply-templates mode="reading"/></em>
  </xsl:template>
  <xsl:template match="tei:del" mode="reading">
    <del><xsl:apply-templates mode="reading"/></del>
  </xsl:template>
  <xsl:template match="tei:gap" mode="reading">
    <span class="gap" title="text lost in this witness">[…]</span>
  </xsl:template>
  <xsl:template match="tei:witStart | tei:witEnd" mode="reading"/>

  <!-- ============================================================ labels -->
  <xsl:template name="type-label">
    <xsl:param name="type"/>
    <xsl:choose>
      <xsl:when test="$type = 'ocr'">OCR error</xsl:when>
      <xsl:when test="$type = 'spelling'">spelling</xsl:when>
      <xsl:when test="$type = 'wording'">wording</xsl:when>
      <xsl:when test="$type = 'addition'">addition</xsl:when>
      <xsl:when test="$type = 'omission'">omission</xsl:when>
      <xsl:when test="$type = 'transposition'">transposition</xsl:when>
      <xsl:when test="$type = 'lacuna'">lacuna</xsl:when>
      <xsl:otherwise><xsl:value-of select="$type"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="sigla">
    <xsl:param name="wit"/>
    <xsl:variable name="rest" select="normalize-space($wit)"/>
    <xsl:if test="$rest != ''">
      <xsl:variable name="first" select="substring-before(concat($rest, ' '), ' ')"/>
      <xsl:value-of select="key('id', substring-after($first, '#'))/@n"/>
      <xsl:if test="contains($rest, ' ')">
        <xsl:text> </xsl:text>
        <xsl:call-template name="sigla"><xsl:with-param name="wit" select="substring-after($rest, ' ')"/></xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- a link to each of the stylesheets in $list (space separated) -->
  <xsl:template name="stylesheets">
    <xsl:param name="list"/>
    <xsl:if test="$list != ''">
      <xsl:variable name="first" select="substring-before(concat($list, ' '), ' ')"/>
      <link rel="stylesheet" href="{$first}"/>
      <xsl:call-template name="stylesheets"><xsl:with-param name="list" select="substring-after($list, ' ')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- what an apparatus entry names: the lemma; for an addition, the word before it (or
       after it, at the start of a paragraph) -->
  <xsl:template name="lemma-reference">
    <xsl:choose>
      <xsl:when test="tei:lem/node()"><xsl:apply-templates select="tei:lem/node()" mode="reading"/></xsl:when>
      <xsl:otherwise>
        <xsl:choose>
          <xsl:when test="@tt:after != ''">after “<xsl:value-of select="@tt:after"/>”</xsl:when>
          <xsl:when test="@tt:before != ''">before “<xsl:value-of select="@tt:before"/>”</xsl:when>
          <xsl:otherwise>here</xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a reading in an apparatus entry -->
  <xsl:template match="tei:rdg" mode="entry-reading">
    <xsl:choose>
      <xsl:when test="@copyOf">
        <xsl:apply-templates select="key('id', substring-after(@copyOf, '#'))/node()" mode="reading"/>
        <xsl:text> (moved here from line </xsl:text><xsl:value-of select="key('id', substring-after(../@corresp, '#'))/@loc"/><xsl:text>)</xsl:text>
      </xsl:when>
      <xsl:when test="tei:witEnd">ends here</xsl:when>
      <xsl:when test="tei:witStart">begins here</xsl:when>
      <xsl:when test="not(node())"><abbr title="omitted">om.</abbr></xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="node()" mode="reading"/>
        <xsl:if test="@xml:id and ../@corresp"> (moved: aligned at line <xsl:value-of select="key('id', substring-after(../@corresp, '#'))/@loc"/>)</xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
