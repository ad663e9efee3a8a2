#include "snapshot.h"

#include <string.h>

#include "../common/fileio.h"

/* Placeholder until the loader lands in this issue. */
xd_rc az_snapshot_load(const char *dir, az_model *m, xd_err *e)
{
  memset(m, 0, sizeof(*m));
  if(!xd_is_dir(dir))
    return xd_fail(e, XD_E_IO, "%s: not a snapshot folder", dir);
  return XD_OK;
}
