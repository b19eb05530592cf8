<?xml version="1.0" encoding="UTF-8"?>
<!--
  A letter's versions in its metadata panel (imported by tei-common.xsl): the other
  versions `teitools collate` names in fileDesc/notesStmt (relatedItem type="version"),
  each linked to its page, and the page that compares them (relatedItem type="collation").
  XSLT 1.0. Parameter versions-base: where the collations' pages are
  ({versions-base}{file name}.html; the letters' pages are beside this one).
  Also the correction note's "as another version reads" (corr/@source).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:param name="versions-base" select="''"/>

  <xsl:template match="tei:notesStmt" mode="versions-meta">
    <xsl:variable name="collation" select="tei:relatedItem[@type='collation']/@target"/>
    <xsl:if test="tei:relatedItem[@type='version']">
      <dt>Versions</dt>
      <dd class="versions">
        <xsl:for-each select="tei:relatedItem[@type='version']">
          <xsl:variable name="name"><xsl:call-template name="page-name"><xsl:with-param name="path" select="@target"/></xsl:call-template></xsl:variable>
          <xsl:if test="position() > 1">; </xsl:if>
          <a href="{$name}.html"><xsl:value-of select="$name"/></a>
          <xsl:text> (</xsl:text>
          <xsl:call-template name="version-kind"><xsl:with-param name="kind" select="@subtype"/></xsl:call-template>
          <xsl:text>)</xsl:text>
        </xsl:for-each>
        <xsl:if test="$collation">
          <xsl:variable name="page"><xsl:call-template name="page-name"><xsl:with-param name="path" select="$collation"/></xsl:call-template></xsl:variable>
          <xsl:text> · </xsl:text>
          <a class="versions-link" href="{$versions-base}{$page}.html">Compare the versions</a>
        </xsl:if>
      </dd>
    </xsl:if>
  </xsl:template>

  <xsl:template name="version-kind">
    <xsl:param name="kind"/>
    <xsl:choose>
      <xsl:when test="$kind = 'sent'">sent copy</xsl:when>
      <xsl:when test="$kind = ''">version</xsl:when>
      <xsl:otherwise><xsl:value-of select="$kind"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "collations/NAME.versions.xml" → "NAME.versions" -->
  <xsl:template name="page-name">
    <xsl:param name="path"/>
    <xsl:choose>
      <xsl:when test="contains($path, '/')"><xsl:call-template name="page-name"><xsl:with-param name="path" select="substring-after($path, '/')"/></xsl:call-template></xsl:when>
      <xsl:when test="substring($path, string-length($path) - 3) = '.xml'"><xsl:value-of select="substring($path, 1, string-length($path) - 4)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$path"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a correction another version supports: ", as NAME reads" -->
  <xsl:template match="tei:corr" mode="correction-source">
    <xsl:if test="@source">
      <xsl:text>, as </xsl:text>
      <xsl:call-template name="page-name"><xsl:with-param name="path" select="@source"/></xsl:call-template>
      <xsl:text> reads</xsl:text>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
