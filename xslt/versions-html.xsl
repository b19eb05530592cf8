<?xml version="1.0" encoding="UTF-8"?>
<!-- A TEI collation (parallel segmentation, made by `teitools collate`) → one web page:
     the versions, the witnesses side by side line by line of the base text with each
     variant marked (colour and a letter for its type), and the apparatus.
     XSLT 1.0 (lxml, xsltproc). No JavaScript: every variant is a link to its apparatus
     entry, every entry a link back to its line.
     Parameters: lang, css (the page's stylesheets, space separated), index-page,
     letter-base (where the witnesses' letter pages are: {letter-base}{file stem}.html),
     pdf-href and tei-href (the print edition and the TEI, if they are to be linked). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-teitools:render"
    exclude-result-prefixes="tei tt">
  <xsl:import href="versions-common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="css" select="'letter.css versions.css'"/>
  <xsl:param name="index-page" select="'index.html'"/>
  <xsl:param name="letter-base" select="''"/>
  <xsl:param name="pdf-href" select="''"/>
  <xsl:param name="tei-href" select="''"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <xsl:call-template name="stylesheets"><xsl:with-param name="list" select="normalize-space($css)"/></xsl:call-template>
        <link rel="icon" href="data:,"/>
      </head>
      <body class="versions-page">
        <header>
          <p class="breadcrumb"><a href="{$index-page}">All letters</a></p>
          <h1><xsl:value-of select="$title"/></h1>
          <xsl:if test="$pdf-href != '' or $tei-href != ''">
            <p class="downloads">This collation as
              <xsl:if test="$tei-href != ''"><a href="{$tei-href}" type="application/tei+xml">TEI</a></xsl:if>
              <xsl:if test="$pdf-href != '' and $tei-href != ''"> · </xsl:if>
              <xsl:if test="$pdf-href != ''"><a href="{$pdf-href}" type="application/pdf">PDF</a> (the base text with the apparatus)</xsl:if></p>
          </xsl:if>
        </header>
        <main>
          <section aria-labelledby="witnesses-h" class="witnesses">
            <h2 id="witnesses-h">Versions</h2>
            <xsl:apply-templates select="//tei:listWit" mode="versions"/>
          </section>
          <section aria-labelledby="synopsis-h" class="synopsis">
            <h2 id="synopsis-h">Side by side</h2>
            <xsl:call-template name="legend"/>
            <div class="synopsis-scroll" tabindex="0" role="region" aria-labelledby="synopsis-h">
              <table class="synopsis">
                <caption>The versions line by line of <xsl:value-of select="$base/@n"/>’s text; variants are marked, each links to its entry in the apparatus.</caption>
                <thead>
                  <tr>
                    <th scope="col" class="line-no">Line</th>
                    <xsl:for-each select="$witnesses">
                      <th scope="col"><xsl:value-of select="@n"/> · <xsl:value-of select="substring-before(tei:note[@type='kind'], ':')"/></th>
                    </xsl:for-each>
                  </tr>
                </thead>
                <tbody>
                  <xsl:for-each select="//tei:div[@type='collation']/tei:p">
                  <xsl:for-each select="tt:line">
                    <xsl:variable name="line" select="node()[not(self::tei:lb)]"/>
                    <xsl:variable name="inner" select="$line//tei:lb"/>
                    <tr id="line-{@n}">
                      <xsl:if test="position() = 1"><xsl:attribute name="class">paragraph-start</xsl:attribute></xsl:if>
                      <th scope="row" class="line-no">
                        <xsl:value-of select="@n"/>
                        <xsl:if test="$inner">–<xsl:value-of select="$inner[last()]/@n"/></xsl:if>
                        <xsl:for-each select="$inner"><span id="line-{@n}"/></xsl:for-each>
                      </th>
                      <xsl:for-each select="$witnesses">
                        <xsl:variable name="wid" select="concat('#', @xml:id)"/>
                        <td lang="{/tei:TEI/@xml:lang}">
                          <xsl:apply-templates select="$line" mode="column">
                            <xsl:with-param name="wid" select="$wid"/>
                            <xsl:with-param name="siglum" select="@n"/>
                          </xsl:apply-templates>
                        </td>
                      </xsl:for-each>
                    </tr>
                  </xsl:for-each>
                  </xsl:for-each>
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="apparatus-h" class="apparatus">
            <h2 id="apparatus-h">Apparatus</h2>
            <p class="apparatus-note">By line of <xsl:value-of select="$base/@n"/>: the reading of <xsl:value-of select="$base/@n"/> (the lemma), then ] and each other reading with its witnesses and how it differs.</p>
            <ol class="apparatus-list">
              <xsl:apply-templates select="//tei:div[@type='collation']//tei:app" mode="entry"/>
            </ol>
          </section>
        </main>
        <footer><p>Collated with <xsl:value-of select="concat(//tei:application/@ident, ' ', //tei:application/@version)"/>.</p></footer>
      </body>
    </html>
  </xsl:template>

  <!-- ============================================================ the versions -->
  <xsl:template match="tei:listWit" mode="versions">
    <dl class="witness-list">
      <xsl:for-each select="tei:witness">
        <xsl:variable name="stem" select="tei:bibl/tei:idno[@type='file']"/>
        <dt><span class="siglum"><xsl:value-of select="@n"/></span></dt>
        <dd>
          <a href="{$letter-base}{$stem}.html"><xsl:value-of select="tei:bibl/tei:ref"/></a>
          <xsl:text> </xsl:text><span class="file">(<xsl:value-of select="$stem"/>)</span>
          <span class="kind"><xsl:value-of select="tei:note[@type='kind']"/></span>
          <xsl:if test="position() = 1"> <strong class="base-note">The base text.</strong></xsl:if>
        </dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <xsl:template name="legend">
    <ul class="legend" aria-label="Kinds of variant">
      <li class="t-ocr"><span class="type-mark">O</span> OCR error</li>
      <li class="t-spelling"><span class="type-mark">S</span> spelling</li>
      <li class="t-wording"><span class="type-mark">W</span> wording</li>
      <li class="t-addition"><span class="type-mark">+</span> addition</li>
      <li class="t-omission"><span class="type-mark">−</span> omission</li>
      <li class="t-transposition"><span class="type-mark">T</span> transposition</li>
      <li class="t-lacuna"><span class="type-mark">L</span> lacuna</li>
    </ul>
  </xsl:template>

  <!-- ============================================================ one witness's column -->
  <xsl:template match="text()" mode="column"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="tei:lb" mode="column"/>

  <xsl:template match="tei:app" mode="column">
    <xsl:param name="wid"/>
    <xsl:param name="siglum"/>
    <xsl:variable name="reading" select="(tei:lem | tei:rdg)[contains(concat(' ', @wit, ' '), concat(' ', $wid, ' '))]"/>
    <xsl:if test="$reading">
      <xsl:variable name="type" select="($reading/@type | @type)[1]"/>
      <xsl:variable name="label"><xsl:call-template name="type-label"><xsl:with-param name="type" select="$type"/></xsl:call-template></xsl:variable>
      <a class="v t-{$type} {local-name($reading)}" href="#app-{generate-id()}" title="{$label}: see the apparatus">
        <xsl:choose>
          <xsl:when test="$reading/@copyOf">
            <xsl:apply-templates select="key('id', substring-after($reading/@copyOf, '#'))/node()" mode="reading"/>
            <span class="moved-note"> (moved from line <xsl:value-of select="key('id', substring-after(current()/@corresp, '#'))/@loc"/>)</span>
          </xsl:when>
          <xsl:when test="$reading/tei:witEnd"><span class="lacuna-note">[<xsl:value-of select="$siglum"/> ends]</span></xsl:when>
          <xsl:when test="$reading/tei:witStart"><span class="lacuna-note">[<xsl:value-of select="$siglum"/> begins]</span></xsl:when>
          <xsl:when test="not($reading/node())"><span class="empty">‸<span class="visually-hidden"> (nothing here in <xsl:value-of select="$siglum"/>)</span></span></xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="$reading/node()" mode="reading"/>
            <xsl:if test="$reading/@xml:id and @corresp"><span class="moved-note"> (moved: aligned at line <xsl:value-of select="key('id', substring-after(current()/@corresp, '#'))/@loc"/>)</span></xsl:if>
          </xsl:otherwise>
        </xsl:choose>
        <span class="visually-hidden"> (<xsl:value-of select="$label"/>)</span>
      </a>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ the apparatus -->
  <xsl:template match="tei:app" mode="entry">
    <li id="app-{generate-id()}" class="t-{@type}">
      <a class="loc" href="#line-{@loc}" aria-label="line {@loc}"><xsl:value-of select="@loc"/></a>
      <xsl:text> </xsl:text>
      <span class="lem"><xsl:call-template name="lemma-reference"/></span>
      <xsl:text>] </xsl:text>
      <xsl:for-each select="tei:rdg">
        <xsl:if test="position() > 1">; </xsl:if>
        <span class="rdg"><xsl:apply-templates select="." mode="entry-reading"/></span>
        <xsl:text> </xsl:text>
        <span class="wit"><xsl:call-template name="sigla"><xsl:with-param name="wit" select="@wit"/></xsl:call-template></span>
        <xsl:text> </xsl:text>
        <span class="type">(<xsl:call-template name="type-label"><xsl:with-param name="type" select="@type"/></xsl:call-template>)</span>
      </xsl:for-each>
    </li>
  </xsl:template>
</xsl:stylesheet>
