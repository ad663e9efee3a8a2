/* analyzer/catalogue.h: every finding code the analyzer can emit, with what
 * it means, how it is detected and how it is fixed. docs/findings.md and
 * `xacct-doctor explain CODE` are both made from this table, so they cannot
 * drift apart (a test checks that findings.md names every code). */
#ifndef AZ_CATALOGUE_H
#define AZ_CATALOGUE_H

#include <stddef.h>

#include "../common/result.h"

typedef struct {
  const char *code;
  xd_severity severity;  /* the usual severity */
  const char *step;      /* the setup step of domain.md: "peering", "dns", ... */
  const char *title;     /* a short line */
  const char *meaning;   /* what is wrong and what the user sees */
  const char *detection; /* which files/observations tell, and how */
  const char *fix;       /* how to fix it, with the command's shape */
} az_catalogue_entry;

/* The entry for code (case-insensitive), or NULL. */
const az_catalogue_entry *az_catalogue_find(const char *code);
/* The whole table; *n gets its length. */
const az_catalogue_entry *az_catalogue_all(size_t *n);

#endif
