#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  C_CHECK = 1 << 0, C_ANALYZE = 1 << 1, C_PROBE = 1 << 2, C_LISTEN = 1 << 3,
  C_FETCH = 1 << 4, C_REPORT = 1 << 5, C_EXPLAIN = 1 << 6,
  C_ALL = 0x7f
};

static const struct {
  const char *name;
  int bit;
} commands[] = {
  {"check", C_CHECK}, {"analyze", C_ANALYZE}, {"probe", C_PROBE},
  {"listen", C_LISTEN}, {"fetch", C_FETCH}, {"report", C_REPORT},
  {"explain", C_EXPLAIN},
};

typedef enum {
  O_HELP, O_VERSION, O_CONFIG, O_FORMAT, O_OUTPUT, O_QUIET, O_VERBOSE,
  O_NO_COLOR, O_TIMEOUT, O_REGION, O_PROFILE, O_ENDPOINT, O_SNAPSHOT,
  O_OBSERVATIONS, O_HISTORY, O_HISTORY_KEEP, O_LOCK, O_NO_PROBE,
  O_STUDIO_METADATA, O_TARGET,
  O_PORT, O_DNS_SERVER, O_TIMEOUT_MS, O_IDENTIFY_MS, O_CONCURRENCY, O_SIDE,
  O_NO_CAPTURE, O_FROM, O_DURATION, O_MAX_FLOWS, O_INTERFACE, O_PCAP_OUT,
  O_READ, O_OUT, O_IN, O_ACCOUNT_PROFILE, O_CONTROL_PLANE, O_NO_CONTROL_PLANE
} opt_id;

static const struct {
  const char *name;
  char short_name;
  bool arg;
  opt_id id;
  int commands;
} options[] = {
  {"help", 'h', false, O_HELP, C_ALL},
  {"version", 0, false, O_VERSION, C_ALL},
  {"config", 'c', true, O_CONFIG, C_ALL},
  {"format", 'f', true, O_FORMAT, C_ALL},
  {"output", 'o', true, O_OUTPUT, C_ALL},
  {"quiet", 'q', false, O_QUIET, C_ALL},
  {"verbose", 'v', false, O_VERBOSE, C_ALL},
  {"no-color", 0, false, O_NO_COLOR, C_ALL},
  {"timeout", 0, true, O_TIMEOUT, C_ALL},
  {"region", 0, true, O_REGION, C_ALL},
  {"profile", 0, true, O_PROFILE, C_ALL},
  {"endpoint-url", 0, true, O_ENDPOINT, C_ALL},
  {"snapshot", 0, true, O_SNAPSHOT, C_CHECK | C_ANALYZE},
  {"observations", 0, true, O_OBSERVATIONS, C_CHECK | C_ANALYZE},
  {"history", 0, true, O_HISTORY, C_CHECK | C_ANALYZE},
  {"history-keep", 0, true, O_HISTORY_KEEP, C_CHECK | C_ANALYZE},
  {"lock", 0, true, O_LOCK, C_CHECK | C_ANALYZE | C_PROBE | C_FETCH},
  {"no-probe", 0, false, O_NO_PROBE, C_CHECK},
  {"studio-metadata", 0, true, O_STUDIO_METADATA, C_CHECK},
  {"target", 0, true, O_TARGET, C_CHECK | C_PROBE},
  {"port", 0, true, O_PORT, C_CHECK | C_PROBE | C_LISTEN},
  {"dns-server", 0, true, O_DNS_SERVER, C_CHECK | C_PROBE},
  {"timeout-ms", 0, true, O_TIMEOUT_MS, C_CHECK | C_PROBE},
  {"identify-ms", 0, true, O_IDENTIFY_MS, C_CHECK | C_PROBE},
  {"concurrency", 0, true, O_CONCURRENCY, C_CHECK | C_PROBE | C_FETCH},
  {"side", 0, true, O_SIDE, C_PROBE | C_LISTEN},
  {"no-capture", 0, false, O_NO_CAPTURE, C_CHECK | C_PROBE},
  {"control-plane", 0, false, O_CONTROL_PLANE, C_PROBE},
  {"no-control-plane", 0, false, O_NO_CONTROL_PLANE, C_CHECK},
  {"from", 0, true, O_FROM, C_LISTEN},
  {"duration", 0, true, O_DURATION, C_LISTEN},
  {"max-flows", 0, true, O_MAX_FLOWS, C_LISTEN},
  {"interface", 0, true, O_INTERFACE, C_CHECK | C_PROBE | C_LISTEN},
  {"pcap-out", 0, true, O_PCAP_OUT, C_CHECK | C_PROBE | C_LISTEN},
  {"read", 0, true, O_READ, C_LISTEN},
  {"out", 0, true, O_OUT, C_FETCH},
  {"account-profile", 0, true, O_ACCOUNT_PROFILE, C_CHECK | C_FETCH},
  {"in", 0, true, O_IN, C_REPORT},
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static int command_bit(const char *name)
{
  for(size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if(!strcmp(name, commands[i].name))
      return commands[i].bit;
  return 0;
}

static xd_rc push(const char ***list, size_t *n, const char *v, xd_err *e)
{
  const char **p = realloc(*list, (*n + 1) * sizeof(*p));
  if(!p)
    return xd_fail(e, XD_E_NOMEM, "out of memory");
  p[(*n)++] = v;
  *list = p;
  return XD_OK;
}

static xd_rc parse_long(const char *opt, const char *v, long lo, long hi,
                        long *out, xd_err *e)
{
  char *end;
  long x;
  errno = 0;
  x = strtol(v, &end, 10);
  if(errno || end == v || *end || x < lo || x > hi)
    return xd_fail(e, XD_E_USAGE, "--%s: '%s' is not a whole number from %ld "
                   "to %ld", opt, v, lo, hi);
  *out = x;
  return XD_OK;
}

static xd_rc parse_seconds(const char *opt, const char *v, double *out,
                           xd_err *e)
{
  char *end;
  double x;
  errno = 0;
  x = strtod(v, &end);
  if(errno || end == v || *end || !isfinite(x) || x <= 0 || x > 31536000)
    return xd_fail(e, XD_E_USAGE, "--%s: '%s' is not a number of seconds "
                   "greater than 0", opt, v);
  *out = x;
  return XD_OK;
}

static xd_rc apply(cli_opts *o, opt_id id, const char *name, const char *v,
                   cli_parse_action *act, xd_err *e)
{
  switch(id) {
  case O_HELP: *act = CLI_PARSE_HELP; break;
  case O_VERSION: *act = CLI_PARSE_VERSION; break;
  case O_CONFIG: o->config = v; break;
  case O_FORMAT:
    if(!rp_format_parse(v, &o->format))
      return xd_fail(e, XD_E_USAGE, "--format: '%s' is not one of text, json, "
                     "html, prometheus, junit", v);
    o->format_set = true;
    break;
  case O_OUTPUT: o->output = v; break;
  case O_QUIET: o->quiet = true; break;
  case O_VERBOSE: o->verbose = true; break;
  case O_NO_COLOR: o->no_color = true; break;
  case O_TIMEOUT: return parse_seconds(name, v, &o->timeout_s, e);
  case O_REGION: o->region = v; break;
  case O_PROFILE: o->profile = v; break;
  case O_ENDPOINT: o->endpoint_url = v; break;
  case O_SNAPSHOT: o->snapshot = v; break;
  case O_OBSERVATIONS: return push(&o->observations, &o->n_observations, v, e);
  case O_HISTORY: o->history = v; break;
  case O_HISTORY_KEEP: return parse_long(name, v, 1, 1000000, &o->history_keep, e);
  case O_LOCK: o->lock = v; break;
  case O_NO_PROBE: o->no_probe = true; break;
  case O_STUDIO_METADATA: o->studio_metadata = v; break;
  case O_TARGET: return push(&o->targets, &o->n_targets, v, e);
  case O_PORT: o->ports = v; break;
  case O_DNS_SERVER: o->dns_server = v; break;
  case O_TIMEOUT_MS: return parse_long(name, v, 1, 3600000, &o->timeout_ms, e);
  case O_IDENTIFY_MS:
    return parse_long(name, v, 1, 3600000, &o->identify_ms, e);
  case O_CONCURRENCY: return parse_long(name, v, 1, 65535, &o->concurrency, e);
  case O_SIDE:
    if(strcmp(v, "studio") && strcmp(v, "emr"))
      return xd_fail(e, XD_E_USAGE, "--side: '%s' is not studio or emr", v);
    o->side = v;
    break;
  case O_NO_CAPTURE: o->no_capture = true; break;
  case O_CONTROL_PLANE: o->control_plane = true; break;
  case O_NO_CONTROL_PLANE: o->no_control_plane = true; break;
  case O_FROM: return push(&o->from, &o->n_from, v, e);
  case O_DURATION: return parse_seconds(name, v, &o->duration_s, e);
  case O_MAX_FLOWS:
    return parse_long(name, v, 1, 100000000, &o->max_flows, e);
  case O_INTERFACE: o->interface = v; break;
  case O_PCAP_OUT: o->pcap_out = v; break;
  case O_READ: o->read = v; break;
  case O_OUT: o->out = v; break;
  case O_IN: o->in = v; break;
  case O_ACCOUNT_PROFILE: {
    /* ACCOUNT=PROFILE: 12 digits, then a profile name */
    const char *eq = strchr(v, '=');
    if(!eq || eq - v != 12 || strspn(v, "0123456789") != 12 || !eq[1])
      return xd_fail(e, XD_E_USAGE, "--account-profile: '%s' is not "
                     "ACCOUNT=PROFILE (a 12-digit account id, '=', a "
                     "profile name)", v);
    return push(&o->account_profiles, &o->n_account_profiles, v, e);
  }
  }
  return XD_OK;
}

typedef struct {
  int idx;            /* index into options */
  const char *value;  /* NULL for flags */
} seen_opt;

xd_rc cli_parse(int argc, char **argv, cli_opts *o, cli_parse_action *act,
                xd_err *e)
{
  seen_opt *seen = NULL;
  size_t n_seen = 0;
  const char *positional[2] = {NULL, NULL};
  size_t n_pos = 0;
  bool only_positional = false;
  xd_rc rc = XD_OK;
  int bit;

  memset(o, 0, sizeof(*o));
  *act = CLI_PARSE_RUN;
  seen = calloc((size_t)argc + 1, sizeof(*seen));
  if(!seen)
    return xd_fail(e, XD_E_NOMEM, "out of memory");

  /* First pass: split options from words, without knowing the command yet
   * (global options may come before it). */
  for(int i = 1; i < argc; i++) {
    const char *a = argv[i];
    size_t k;
    const char *val = NULL;
    if(only_positional || a[0] != '-' || !strcmp(a, "-")) {
      if(!o->command && command_bit(a)) {
        o->command = a;
        continue;
      }
      if(!o->command || n_pos >= 2) {
        rc = xd_fail(e, XD_E_USAGE, o->command
                     ? "unexpected argument '%s'"
                     : "unknown command '%s'", a);
        goto done;
      }
      positional[n_pos++] = a;
      continue;
    }
    if(!strcmp(a, "--")) {
      only_positional = true;
      continue;
    }
    if(a[1] == '-') {
      const char *name = a + 2;
      const char *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      for(k = 0; k < N_OPTIONS; k++)
        if(strlen(options[k].name) == len && !strncmp(options[k].name, name, len))
          break;
      if(k == N_OPTIONS) {
        rc = xd_fail(e, XD_E_USAGE, "unknown option '--%.*s'", (int)len, name);
        goto done;
      }
      if(options[k].arg) {
        if(eq)
          val = eq + 1;
        else if(i + 1 < argc)
          val = argv[++i];
        else {
          rc = xd_fail(e, XD_E_USAGE, "option '--%s' needs a value",
                       options[k].name);
          goto done;
        }
      }
      else if(eq) {
        rc = xd_fail(e, XD_E_USAGE, "option '--%s' takes no value",
                     options[k].name);
        goto done;
      }
    }
    else {
      if(a[2] != '\0') {
        rc = xd_fail(e, XD_E_USAGE, "unknown option '%s' (short options stand "
                     "alone: -q -v, not -qv)", a);
        goto done;
      }
      for(k = 0; k < N_OPTIONS; k++)
        if(options[k].short_name && options[k].short_name == a[1])
          break;
      if(k == N_OPTIONS) {
        rc = xd_fail(e, XD_E_USAGE, "unknown option '%s'", a);
        goto done;
      }
      if(options[k].arg) {
        if(i + 1 >= argc) {
          rc = xd_fail(e, XD_E_USAGE, "option '%s' needs a value", a);
          goto done;
        }
        val = argv[++i];
      }
    }
    seen[n_seen].idx = (int)k;
    seen[n_seen].value = val;
    n_seen++;
  }

  if(!o->command)
    o->command = "check";   /* the default command */
  bit = command_bit(o->command);

  for(size_t i = 0; i < n_seen; i++) {
    int k = seen[i].idx;
    if(!(options[k].commands & bit)) {
      rc = xd_fail(e, XD_E_USAGE, "option '--%s' does not apply to '%s'",
                   options[k].name, o->command);
      goto done;
    }
    rc = apply(o, options[k].id, options[k].name, seen[i].value, act, e);
    if(rc != XD_OK)
      goto done;
  }
  if(n_pos) {
    if(bit == C_EXPLAIN && n_pos == 1)
      o->code = positional[0];
    else {
      rc = xd_fail(e, XD_E_USAGE, "unexpected argument '%s'", positional[0]);
      goto done;
    }
  }
  if(o->quiet && o->verbose) {
    rc = xd_fail(e, XD_E_USAGE, "--quiet and --verbose exclude each other");
    goto done;
  }
done:
  free(seen);
  return rc;
}

void cli_opts_free(cli_opts *o)
{
  free(o->observations);
  free(o->targets);
  free(o->account_profiles);
  o->account_profiles = NULL;
  free(o->from);
  o->observations = o->targets = o->from = NULL;
}
