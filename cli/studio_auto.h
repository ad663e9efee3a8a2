/* cli/studio_auto.h: what `check` works out by itself inside a Studio
 * space, where no one wrote an intent: whether this is Studio at all, the
 * address it runs from, and whether it may capture. */
#ifndef CLI_STUDIO_AUTO_H
#define CLI_STUDIO_AUTO_H

#include <stdbool.h>

#include "../analyzer/intent.h"
#include "../analyzer/model.h"
#include "../common/xd_error.h"

/* With no metadata file at SageMaker's path: XD_OK outside Studio (the
 * run goes on without it); inside a Studio app (SageMaker's variables
 * are set) an error naming the file and asking for --config. */
xd_rc cli_studio_no_metadata(const char *path, xd_err *e);

/* When in gives no studio.source_ip: the local address the kernel picks
 * toward each primary node of m becomes studio.source_ip, and the node's
 * address studio.source_ip_toward (so the report says where it came
 * from). Nothing is sent. Fails only when out of memory. */
xd_rc cli_studio_source(const az_model *m, az_intent *in, xd_err *e);

/* Whether capture may be tried; when it may not (no root, no
 * CAP_NET_RAW), say so once as a note and remember why for
 * cli_capture_off(). */
bool cli_capture_allowed(void);
/* Why the run probes without capture ("uid 1000 without CAP_NET_RAW
 * ..."), or NULL when capture was not refused. */
const char *cli_capture_off(void);
/* Record that capture was refused when tried (the note, once). */
void cli_capture_refused(const char *why);

#endif
