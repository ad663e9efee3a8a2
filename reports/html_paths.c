/* The paths of the HTML report: a summary table, and per path an SVG
 * diagram (source, each hop, destination) in which the hop that stopped the
 * traffic is red and carries its deciding rule, then the hop table. */
#include <stdlib.h>
#include <string.h>

#include "../common/jsonutil.h"
#include "html_int.h"
#include "util.h"

#define PER_ROW 6
#define BOX_W 160
#define BOX_H 74
#define GAP_X 32
#define ROW_H 122
#define MARGIN 10
#define MAX_NOTES 4   /* deciding hops described under a diagram */
#define NOTE_H 62
#define SVG_W (MARGIN * 2 + PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X)

typedef struct {
  const char *kind, *resource, *verdict, *detail;
  bool endpoint;     /* the source or the destination, not a hop */
  bool decider;
} node;

static void box_xy(int i, int *x, int *y)
{
  *x = MARGIN + (i % PER_ROW) * (BOX_W + GAP_X);
  *y = MARGIN + (i / PER_ROW) * ROW_H;
}

/* An arrow from node i to node i+1: straight along a row, or down and back
 * to the start of the next row. Past the deciding hop the way is dashed:
 * the traffic does not get there. */
static void arrow(xd_buf *out, int i, bool dashed)
{
  int x0, y0, x1, y1;
  const char *style = dashed ? " stroke-dasharray=\"5 4\"" : "";
  const char *colour = dashed ? "#9aa0a6" : "#5f6368";
  box_xy(i, &x0, &y0);
  box_xy(i + 1, &x1, &y1);
  if(y0 == y1) {
    int ax = x1 - 2, ay = y0 + BOX_H / 2;
    xd_buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                  "stroke=\"%s\" stroke-width=\"2\"%s/>", x0 + BOX_W, ay,
                  ax - 7, ay, colour, style);
    xd_buf_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>\n",
                  ax, ay, ax - 9, ay - 5, ax - 9, ay + 5, colour);
  }
  else {
    int sx = x0 + BOX_W / 2, sy = y0 + BOX_H, my = y0 + BOX_H + (ROW_H - BOX_H) / 2;
    int ex = x1 + BOX_W / 2, ey = y1 - 2;
    xd_buf_printf(out, "<polyline points=\"%d,%d %d,%d %d,%d %d,%d\" "
                  "fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>", sx, sy,
                  sx, my, ex, my, ex, ey - 7, colour, style);
    xd_buf_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>\n",
                  ex, ey, ex - 5, ey - 9, ex + 5, ey - 9, colour);
  }
}

static void box(xd_buf *out, int i, const node *n)
{
  int x, y;
  const char *fill = "#f1f3f4", *stroke = "#80868b", *extra = "";
  const char *vtext = "? unknown", *vcolour = "#5f6368";
  box_xy(i, &x, &y);
  if(n->endpoint) {
    fill = "#e8eaf6";
    stroke = "#3949ab";
    vtext = NULL;
  }
  else if(!strcmp(n->verdict, "allow")) {
    fill = "#e6f4ea";
    stroke = "#1e7b34";
    vtext = "\xE2\x9C\x93 allow";
    vcolour = "#1e7b34";
  }
  else if(!strcmp(n->verdict, "deny")) {
    fill = "#fdecea";
    stroke = "#b3261e";
    vtext = "\xE2\x9C\x97 DENY";
    vcolour = "#b3261e";
  }
  else
    extra = " stroke-dasharray=\"4 3\"";
  xd_buf_puts(out, "<g>");
  /* the tooltip carries everything the box has to cut */
  xd_buf_puts(out, "<title>");
  h(out, n->kind);
  xd_buf_puts(out, " ");
  h(out, n->resource);
  if(n->verdict) {
    xd_buf_puts(out, " (");
    h(out, n->verdict);
    xd_buf_puts(out, ")");
  }
  if(n->detail && *n->detail) {
    xd_buf_puts(out, ": ");
    h(out, n->detail);
  }
  xd_buf_puts(out, "</title>");
  xd_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                "rx=\"8\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%d\"%s/>",
                x, y, BOX_W, BOX_H, fill, stroke, n->decider ? 4 : 2,
                extra);
  xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                "class=\"t-kind\">", x + BOX_W / 2, y + 19);
  h_max(out, n->kind, 24);
  xd_buf_printf(out, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                "class=\"t-res\">", x + BOX_W / 2, y + 40);
  h_max(out, n->resource, 21);   /* an AWS long id: sg- + 17 hex */
  xd_buf_puts(out, "</text>");
  if(vtext)
    xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                  "class=\"t-v\" fill=\"%s\">%s</text>", x + BOX_W / 2, y + 62,
                  vcolour, vtext);
  else if(n->detail)
    {
      xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                    "class=\"t-small\">", x + BOX_W / 2, y + 62);
      h_max(out, n->detail, 24);
      xd_buf_puts(out, "</text>");
    }
  xd_buf_puts(out, "</g>\n");
}

/* Break a long deciding detail over lines of at most width characters,
 * at spaces where possible. Each line is escaped on its own. */
static int detail_lines(xd_buf *out, const char *s, int x, int y, int width,
                        int max_lines)
{
  int lines = 0;
  while(*s && lines < max_lines) {
    size_t len = strlen(s), cut = len, chars = 0, last_space = 0, i = 0;
    while(i < len) {
      unsigned char c = (unsigned char)s[i];
      size_t step = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      if(chars == (size_t)width) {
        cut = last_space ? last_space : i;
        break;
      }
      if(c == ' ')
        last_space = i;
      i += step;
      chars++;
    }
    if(i >= len)
      cut = len;
    {
      xd_buf piece;
      xd_buf_init(&piece);
      xd_buf_append(&piece, s, cut);
      xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"t-deny\">", x,
                    y + lines * 17);
      if(lines == max_lines - 1 && cut < len) {
        h_max(out, xd_buf_str(&piece), (size_t)width - 1);
        xd_buf_puts(out, "\xE2\x80\xA6");
      }
      else
        h(out, xd_buf_str(&piece));
      xd_buf_puts(out, "</text>\n");
      xd_buf_free(&piece);
    }
    s += cut;
    while(*s == ' ')
      s++;
    lines++;
  }
  return lines;
}

static void diagram(xd_buf *out, const cJSON *p, int pidx)
{
  const cJSON *from = xd_json_object(p, "from"), *to = xd_json_object(p, "to");
  const cJSON *hop, *decider = rp_deciding_hop(p);
  node *nodes;
  int n = 0, count = cJSON_GetArraySize(xd_json_array(p, "hops")) + 2;
  int rows, height, dec_idx = -1, n_notes = 0;
  const cJSON *notes[MAX_NOTES];
  xd_buf src, dst, label;
  xd_buf_init(&src);
  xd_buf_init(&dst);
  xd_buf_init(&label);
  nodes = calloc((size_t)count, sizeof(*nodes));
  if(!nodes) {
    out->failed = true;
    return;
  }
  xd_buf_printf(&src, "%s", rp_s(from, "ip"));
  xd_buf_printf(&dst, "%s", rp_path_end(to));
  if(rp_path_port(p) >= 0)
    xd_buf_printf(&dst, ":%ld", rp_path_port(p));
  nodes[n].kind = *rp_s(from, "side") ? rp_s(from, "side") : "source";
  nodes[n].resource = xd_buf_str(&src);
  nodes[n].detail = "source";
  nodes[n++].endpoint = true;
  cJSON_ArrayForEach(hop, xd_json_array(p, "hops")) {
    nodes[n].kind = rp_s(hop, "kind");
    nodes[n].resource = rp_s(hop, "resource");
    nodes[n].verdict = rp_s(hop, "verdict");
    nodes[n].detail = rp_s(hop, "detail");
    /* every hop that denies is marked: the analyzer may find more than
     * one fault on a path, and each needs its fix */
    if(hop == decider || !strcmp(nodes[n].verdict, "deny")) {
      nodes[n].decider = true;
      if(dec_idx < 0)
        dec_idx = n;
      if(n_notes < MAX_NOTES)
        notes[n_notes++] = hop;
    }
    n++;
  }
  nodes[n].kind = *rp_s(to, "side") ? rp_s(to, "side") : "destination";
  nodes[n].resource = xd_buf_str(&dst);
  nodes[n].detail = rp_s_opt(to, "service") ? rp_s(to, "service") : "destination";
  nodes[n++].endpoint = true;

  rows = (n + PER_ROW - 1) / PER_ROW;
  height = MARGIN * 2 + (rows - 1) * ROW_H + BOX_H + n_notes * NOTE_H;
  rp_path_name(&label, p, "to");
  xd_buf_printf(out, "<svg class=\"hops\" "
                "id=\"svg-path-%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                "aria-label=\"hops of ", pidx, SVG_W, height);
  h(out, xd_buf_str(&label));
  xd_buf_puts(out, "\">\n");
  for(int i = 0; i + 1 < n; i++)
    arrow(out, i, dec_idx >= 0 && i >= dec_idx);
  for(int i = 0; i < n; i++)
    box(out, i, &nodes[i]);
  for(int k = 0; k < n_notes; k++) {
    const cJSON *d = notes[k];
    bool deny = !strcmp(rp_s(d, "verdict"), "deny");
    int y = MARGIN + (rows - 1) * ROW_H + BOX_H + 24 + k * NOTE_H;
    xd_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"t-deny\">%s ", MARGIN,
                  y, deny ? "\xE2\x9C\x97 stopped at" : "? not known at");
    h_max(out, rp_s(d, "kind"), 40);
    xd_buf_puts(out, " ");
    h_max(out, rp_s(d, "resource"), 60);
    xd_buf_puts(out, ":</text>\n");
    detail_lines(out, rp_s(d, "detail"), MARGIN + 18, y + 19, 140, 2);
  }
  xd_buf_puts(out, "</svg>\n");
  free(nodes);
  xd_buf_free(&src);
  xd_buf_free(&dst);
  xd_buf_free(&label);
}

static void lane_rows(xd_buf *out, const rp_lane *l, const cJSON *decider,
                      const char *title)
{
  xd_buf_printf(out, "<tr class=\"lane\"><th colspan=\"5\">%s</th></tr>\n",
                title);
  for(size_t k = 0; k < l->n; k++) {
    const cJSON *hop = l->hop[k];
    bool mark = hop == decider || !strcmp(rp_s(hop, "verdict"), "deny");
    xd_buf_printf(out, "<tr%s><td class=\"num\">%d</td><td>",
                  mark ? " class=\"deny\"" : "", l->idx[k]);
    h(out, rp_s(hop, "kind"));
    /* ids are short and read whole: no break at their hyphens */
    xd_buf_puts(out, "</td><td class=\"mono id\">");
    h(out, rp_s(hop, "resource"));
    xd_buf_puts(out, "</td><td>");
    rp_html_badge(out, rp_s(hop, "verdict"), rp_s(hop, "verdict"));
    xd_buf_puts(out, "</td><td>");
    h(out, rp_s(hop, "detail"));
    xd_buf_puts(out, "</td></tr>\n");
  }
}

/* Two lanes: the request from Studio to EMR, the response back. */
static void hop_table(xd_buf *out, const cJSON *p)
{
  const cJSON *decider = rp_deciding_hop(p);
  rp_lane req, resp;
  rp_hop_lanes(p, &req, &resp);
  xd_buf_puts(out, "<table class=\"hops\">\n<tr><th>#</th><th>hop</th>"
              "<th>resource</th><th>verdict</th><th>rule or route that "
              "decided</th></tr>\n");
  lane_rows(out, &req, decider, "request: Studio &rarr; EMR");
  if(resp.n)
    lane_rows(out, &resp, decider, "response: EMR &rarr; Studio");
  xd_buf_puts(out, "</table>\n");
}

static void summary(xd_buf *out, const cJSON *r)
{
  const cJSON *p;
  int i = 0;
  xd_buf_puts(out, "<table>\n<tr><th>verdict</th><th>path</th><th>stopped at"
              "</th></tr>\n");
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    const cJSON *d = rp_deciding_hop(p);
    xd_buf name;
    xd_buf_init(&name);
    rp_path_name(&name, p, "\xE2\x86\x92");
    xd_buf_printf(out, "<tr%s><td>", d ? " class=\"deny\"" : "");
    rp_html_badge(out, rp_s(p, "verdict"), rp_s(p, "verdict"));
    xd_buf_printf(out, "</td><td><a href=\"#path-%d\">", ++i);
    h(out, xd_buf_str(&name));
    xd_buf_puts(out, "</a></td><td>");
    if(d) {
      h(out, rp_s(d, "kind"));
      xd_buf_puts(out, " <code>");
      h(out, rp_s(d, "resource"));
      xd_buf_puts(out, "</code>");
    }
    xd_buf_puts(out, "</td></tr>\n");
    xd_buf_free(&name);
  }
  xd_buf_puts(out, "</table>\n");
}

void rp_html_paths(xd_buf *out, const cJSON *r)
{
  const cJSON *p;
  int i = 0;
  xd_buf_puts(out, "<section id=\"paths\">\n<h2>Paths</h2>\n");
  if(!cJSON_GetArraySize(xd_json_array(r, "paths"))) {
    xd_buf_puts(out, "<p class=\"muted\">No path was evaluated.</p>\n"
                "</section>\n");
    return;
  }
  summary(out, r);
  cJSON_ArrayForEach(p, xd_json_array(r, "paths")) {
    bool reachable = !strcmp(rp_s(p, "verdict"), "reachable");
    xd_buf name;
    xd_buf_init(&name);
    rp_path_name(&name, p, "\xE2\x86\x92");
    i++;
    /* reachable paths fold away on screen; print shows everything */
    xd_buf_printf(out, "<figure id=\"path-%d\">\n%s", i,
                  reachable ? "<details>\n<summary>" : "<h3>");
    h(out, xd_buf_str(&name));
    xd_buf_puts(out, " ");
    rp_html_badge(out, rp_s(p, "verdict"), rp_s(p, "verdict"));
    xd_buf_puts(out, reachable ? "</summary>\n" : "</h3>\n");
    diagram(out, p, i);
    hop_table(out, p);
    {
      xd_buf line;
      xd_buf_init(&line);
      if(rp_observed_text(&line, p)) {
        xd_buf_puts(out, "<p class=\"observed\">");
        h(out, xd_buf_str(&line));
        xd_buf_puts(out, "</p>\n");
      }
      xd_buf_free(&line);
    }
    xd_buf_puts(out, reachable ? "</details>\n</figure>\n" : "</figure>\n");
    xd_buf_free(&name);
  }
  xd_buf_puts(out, "</section>\n");
}
