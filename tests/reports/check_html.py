#!/usr/bin/env python3
"""check_html.py REPORT.html N_PATHS N_BLOCKED

Parses an HTML report the way a browser tokenizer does (html.parser) and
checks what must hold for a file a support engineer mails around: nothing
executable, nothing fetched, the CSP meta, a verdict banner, one hop
diagram per path with each blocked path's deciding hop marked red.
Exits 1 with the reasons on failure."""
import sys
from html.parser import HTMLParser

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
FORBIDDEN_TAGS = {"script", "img", "iframe", "object", "embed", "link",
                  "base", "frame", "audio", "video", "source", "form",
                  "input", "button", "foreignobject", "use", "image"}
URL_ATTRS = {"src", "href", "xlink:href", "action", "formaction", "data",
             "poster", "background"}


class Report(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors = []
        self.tags = []
        self.csp = False
        self.banner = False
        self.svg_hops = 0
        self.red_boxes = 0
        self.stack = []
        self.style = ""
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag in FORBIDDEN_TAGS:
            self.errors.append("forbidden element <%s> %r" % (tag, attrs))
        for k, v in attrs:
            if k.startswith("on"):
                self.errors.append("event handler attribute %s=%r on <%s>" % (k, v, tag))
            if k in URL_ATTRS and v is not None and not v.startswith("#"):
                self.errors.append("outside reference %s=%r on <%s>" % (k, v, tag))
            if k == "style":
                self.errors.append("style attribute on <%s> (only our <style>)" % tag)
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content") == CSP
            if not self.csp:
                self.errors.append("CSP is %r" % a.get("content"))
        if tag == "header" and "banner" in (a.get("class") or "").split():
            self.banner = True
        if tag == "svg" and "hops" in (a.get("class") or "").split():
            self.svg_hops += 1
        if tag == "rect" and a.get("stroke") == "#b3261e" and a.get("stroke-width") == "4":
            self.red_boxes += 1
        if tag == "style":
            self.in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.style += data


def main():
    path, n_paths, n_blocked = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    text = open(path, encoding="utf-8").read()
    p = Report()
    p.feed(text)
    p.close()
    errs = list(p.errors)
    if not text.startswith("<!DOCTYPE html>"):
        errs.append("no doctype")
    if not p.csp:
        errs.append("no Content-Security-Policy meta")
    if not p.banner:
        errs.append("no verdict banner")
    if p.svg_hops != n_paths:
        errs.append("%d hop diagrams for %d paths" % (p.svg_hops, n_paths))
    if p.red_boxes != n_blocked:
        errs.append("%d red deciding hops for %d blocked paths" % (p.red_boxes, n_blocked))
    if "@media print" not in p.style:
        errs.append("no print style")
    for bad in ("url(", "@import", "http:", "https:"):
        if bad in p.style:
            errs.append("style fetches something: %r" % bad)
    if p.tags.count("style") != 1:
        errs.append("%d <style> elements" % p.tags.count("style"))
    for e in errs:
        print("check_html: %s: %s" % (path, e))
    if errs:
        return 1
    print("check_html: %s: ok (%d elements, %d hop diagrams)" % (path, len(p.tags), p.svg_hops))
    return 0


if __name__ == "__main__":
    sys.exit(main())
