/* analyzer/studio/metadata.h: the intent a Studio app's metadata file
 * gives, so that `check` run inside a space needs no --config. */
#ifndef AZ_STUDIO_METADATA_H
#define AZ_STUDIO_METADATA_H

#include "../../common/xd_error.h"
#include "../intent.h"

/* Where SageMaker puts the file inside every Studio app. */
#define AZ_STUDIO_METADATA_PATH "/opt/ml/metadata/resource-metadata.json"

/* Read the metadata file at path into *out (as az_intent_load() would an
 * intent): studio.domain_id, studio.space or studio.user_profile, and the
 * account and Region of ResourceArn (env_region when the ARN has none).
 * Errors name the file and the field; *out is then empty. Release with
 * az_intent_free(). */
xd_rc az_intent_from_metadata(const char *path, const char *env_region,
                              az_intent *out, xd_err *e);

#endif
