/* analyzer/snapshot.h: load a snapshot folder (../shared/contract.md) into
 * the model. */
#ifndef AZ_SNAPSHOT_H
#define AZ_SNAPSHOT_H

#include "../common/xd_error.h"
#include "model.h"

/* Read every file of the layout under dir into *m (zeroed first). Unknown
 * fields are ignored; a file that is absent is recorded in m->missing. A
 * file that does not parse, is truncated, is not UTF-8, is a directory, or
 * whose top-level key is not the one its command prints is an error that
 * names the file and the line; *m is then freed. The role file is the
 * exception: a broken one is kept for the analyzer to report. */
xd_rc az_snapshot_load(const char *dir, az_model *m, xd_err *e);

#endif
