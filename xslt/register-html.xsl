<?xml version="1.0" encoding="UTF-8"?>
<!-- register.xml → one web page: persons, places, organisations and names, with their
     authority identifiers; every entry has the anchor that letters link to. XSLT 1.0. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="css" select="'letter.css'"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head><meta charset="utf-8"/><title>Register</title><link rel="stylesheet" href="{$css}"/><link rel="icon" href="data:,"/></head>
      <body>
        <header><p class="breadcrumb"><a href="index.html">All letters</a></p><h1>Register</h1></header>
        <main>
          <xsl:for-each select="//tei:body/tei:div">
            <section aria-labelledby="h-{@type}">
              <h2 id="h-{@type}"><xsl:call-template name="heading"/></h2>
              <ul class="register"><xsl:apply-templates select="*/*"/></ul>
            </section>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="heading">
    <xsl:choose>
      <xsl:when test="@type='listPerson'">Persons</xsl:when>
      <xsl:when test="@type='listPlace'">Places</xsl:when>
      <xsl:when test="@type='listOrg'">Organisations</xsl:when>
      <xsl:when test="@type='listEvent'">Events</xsl:when>
      <xsl:otherwise>Names</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:person | tei:place | tei:org | tei:item | tei:event">
    <li id="{@xml:id}">
      <strong><xsl:value-of select="normalize-space((tei:persName | tei:placeName | tei:orgName | tei:name | tei:label)[1])"/></strong>
      <xsl:if test="tei:birth or tei:death"> (<xsl:value-of select="substring(tei:birth/@when, 1, 4)"/>–<xsl:value-of select="substring(tei:death/@when, 1, 4)"/>)</xsl:if>
      <xsl:if test="@from"> (<xsl:value-of select="@from"/> – <xsl:value-of select="@to"/>)</xsl:if>
      <xsl:for-each select="tei:idno[starts-with(., 'http')] | tei:ptr">
        <xsl:text> </xsl:text><a class="authority" href="{. | @target}"><xsl:value-of select="@type"/><xsl:if test="not(@type)">link</xsl:if></a>
      </xsl:for-each>
    </li>
  </xsl:template>
</xsl:stylesheet>
