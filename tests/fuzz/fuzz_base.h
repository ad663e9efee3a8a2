/* tests/fuzz/fuzz_base.h: a working copy of examples/healthy in which a
 * harness replaces one file per input, and the analysis of such a folder
 * the way `xacct-doctor analyze --snapshot` does it (intent from the
 * folder, load, analyze, finish, render). Used by fuzz_analyze and
 * fuzz_policy. */
#ifndef FZ_BASE_H
#define FZ_BASE_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Set up the copy once (later calls do nothing); the folder's path. */
const char *fz_base_dir(void);
/* The number of replaceable files (tests/fuzz/analyze_files.txt). */
size_t fz_base_count(void);
/* The path of file i, relative to the folder. */
const char *fz_base_name(size_t i);
/* Its original contents (NUL-terminated; length in *n, may be NULL). */
const char *fz_base_original(size_t i, size_t *n);
/* Replace file i by n bytes; fz_base_restore(i) puts the original back. */
void fz_base_replace(size_t i, const void *data, size_t n);
void fz_base_restore(size_t i);
/* Load the folder, read its intent, analyze, render every format, and
 * check that the result's JSON reads back as a result. Load and intent
 * errors are the expected answer to broken files and must say something;
 * every other failure aborts. obs may be NULL. */
void fz_base_analyze(cJSON *const *obs, size_t n_obs);

#endif
