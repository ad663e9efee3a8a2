/* tests/fuzz/driver.c: runs a harness without libFuzzer, once per file
 * (folders are walked, one level), so the regression inputs of
 * tests/fuzz/regress/ and the seed corpus are replayed in every build,
 * gcc's included, under ASan/UBSan when the build has them and under
 * valgrind. A crash or an abort() of the harness fails the run. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_file(const char *path, unsigned long *n)
{
  size_t len;
  char *data = fz_read(path, &len);
  /* a copy of exactly len bytes, so ASan sees a read past the input */
  uint8_t *copy = malloc(len ? len : 1);
  if(!copy)
    abort();
  memcpy(copy, data, len);
  free(data);
  LLVMFuzzerTestOneInput(copy, len);
  free(copy);
  (*n)++;
}

static void run_dir(const char *dir, unsigned long *n)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  char **names = NULL;
  size_t cnt = 0;
  if(!d) {
    perror(dir);
    exit(2);
  }
  while((de = readdir(d)) != NULL) {
    if(de->d_name[0] == '.')
      continue;
    names = realloc(names, (cnt + 1) * sizeof(*names));
    if(!names || !(names[cnt] = strdup(de->d_name)))
      abort();
    cnt++;
  }
  closedir(d);
  qsort(names, cnt, sizeof(*names), cmp);
  for(size_t i = 0; i < cnt; i++) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    if(stat(path, &st) == 0 && S_ISREG(st.st_mode))
      run_file(path, n);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv)
{
  unsigned long n = 0;
  for(int i = 1; i < argc; i++) {
    struct stat st;
    if(stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 2;
    }
    if(S_ISDIR(st.st_mode))
      run_dir(argv[i], &n);
    else
      run_file(argv[i], &n);
  }
  printf("%lu inputs replayed, no crash\n", n);
  return 0;
}
