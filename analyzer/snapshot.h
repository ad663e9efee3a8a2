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
/* The intent file of the snapshot folder dir (DIR/xacct-doctor.json) into
 * out (size n), or "" when there is none. The same containment check as
 * every snapshot file: an error when it resolves outside dir (a symlink
 * out of the folder) or is not a regular file. */
xd_rc az_snapshot_intent_path(const char *dir, char *out, size_t n,
                              xd_err *e);

#endif
