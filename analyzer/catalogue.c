#include "catalogue.h"

#include <strings.h>

/* Keep in code order within each step; docs/findings.md follows this. */
static const az_catalogue_entry entries[] = {
  {"SNAPSHOT_FILE_MISSING", XD_SEV_INFO, "snapshot",
   "A snapshot file that would have answered a question is absent",
   "The snapshot folder does not hold one of the files of the layout, so "
   "whatever that file would have told is not known. Nothing is guessed in "
   "its place.",
   "The loader records every file of the layout that is absent for an "
   "account and Region it found.",
   "Run `xacct-doctor fetch --out DIR` again, or the AWS CLI command named in "
   "the finding (docs/collect.sh runs them all)."},
};

const az_catalogue_entry *az_catalogue_all(size_t *n)
{
  *n = sizeof(entries) / sizeof(entries[0]);
  return entries;
}

const az_catalogue_entry *az_catalogue_find(const char *code)
{
  size_t n;
  const az_catalogue_entry *all = az_catalogue_all(&n);
  for(size_t i = 0; code && i < n; i++)
    if(!strcasecmp(all[i].code, code))
      return &all[i];
  return NULL;
}
