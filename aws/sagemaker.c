/* aws/sagemaker.c: the Studio domain, its user profiles and spaces. */
#include "internal.h"

#include <string.h>

xd_rc aws_sagemaker_call(aws_ctx *c, const aws_target *t, const char *op,
                         const cJSON *input, cJSON **out, aws_api_error *ae,
                         xd_err *e)
{
  static const char *const domains[] = {"Domains", NULL};
  static const char *const profiles[] = {"UserProfiles", NULL};
  static const char *const spaces[] = {"Spaces", NULL};
  aws_pager pg = {"NextToken", "NextToken", NULL, NULL, NULL};
  if(!strcmp(op, "ListDomains"))
    pg.keys = domains;
  else if(!strcmp(op, "ListUserProfiles"))
    pg.keys = profiles;
  else if(!strcmp(op, "ListSpaces"))
    pg.keys = spaces;
  return aws_json_call(c, t, "SageMaker", op, input, pg.keys ? &pg : NULL,
                       out, ae, e);
}
