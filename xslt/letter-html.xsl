<?xml version="1.0" encoding="UTF-8"?>
<!-- A TEI letter → one web page: metadata panel, the letter in two views, numbered notes.
     XSLT 1.0 (lxml, xsltproc). Parameters: lang, view (reading|diplomatic), css, title. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-teitools:render"
    exclude-result-prefixes="tei tt">
  <xsl:import href="tei-common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="view" select="'reading'"/>
  <xsl:param name="css" select="'letter.css'"/>
  <xsl:param name="index-page" select="'index.html'"/>

  <xsl:template match="/">
    <xsl:variable name="notes" select="//*[@tt:n]"/>
    <xsl:variable name="application" select="(//tei:encodingDesc//tei:application[@ident])[1]"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="{$css}"/>
        <link rel="icon" href="data:,"/>
      </head>
      <body class="view-{$view}">
        <header>
          <p class="breadcrumb"><a href="{$index-page}">All letters</a></p>
          <h1><xsl:value-of select="$title"/></h1>
        </header>
        <main>
          <section aria-labelledby="about-h" class="about">
            <h2 id="about-h">About this letter</h2>
            <xsl:apply-templates select="tei:TEI/tei:teiHeader" mode="meta"/>
          </section>
          <section aria-labelledby="letter-h" class="letter">
            <h2 id="letter-h">Text</h2>
            <div class="views" role="group" aria-label="View">
              <a class="view-link" id="reading" href="#reading" data-view="reading" aria-pressed="true">Reading view</a>
              <a class="view-link" id="diplomatic" href="#diplomatic" data-view="diplomatic" aria-pressed="false">Diplomatic view</a>
            </div>
            <div class="text" lang="{tei:TEI/@xml:lang}">
              <xsl:apply-templates select="tei:TEI/tei:text" mode="text"/>
            </div>
          </section>
          <xsl:if test="$notes">
            <section aria-labelledby="notes-h" class="notes">
              <h2 id="notes-h">Notes</h2>
              <ol><xsl:apply-templates select="$notes" mode="notes"/></ol>
            </section>
          </xsl:if>
        </main>
        <!-- the producer the header names, if it names one -->
        <xsl:if test="$application">
          <footer><p>Encoded with <xsl:value-of select="normalize-space(concat($application/tei:label, ' ', $application/@ident[not($application/tei:label)], ' ', $application/@version))"/>.</p></footer>
        </xsl:if>
        <script>
          // the view switch: links work without JavaScript (#diplomatic), this makes them buttons
          document.documentElement.className = 'js';
          function show(view) {
            document.body.className = 'view-' + view;
            document.querySelectorAll('.view-link').forEach(function (link) {
              link.setAttribute('aria-pressed', String(link.getAttribute('data-view') === view));
            });
          }
          document.querySelectorAll('.view-link').forEach(function (link) {
            link.setAttribute('role', 'button');
            link.addEventListener('click', function (event) {
              event.preventDefault();
              show(link.getAttribute('data-view'));
              history.replaceState(null, '', '#' + link.getAttribute('data-view'));
            });
          });
          if (location.hash === '#diplomatic') { show('diplomatic'); }
        </script>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
