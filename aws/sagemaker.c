/* aws/sagemaker.c: the Studio domain. */
#include "internal.h"

#include <string.h>

xd_rc aws_sagemaker_call(aws_ctx *c, const aws_target *t, const char *op,
                         const cJSON *input, cJSON **out, aws_api_error *ae,
                         xd_err *e)
{
  static const char *const domains[] = {"Domains", NULL};
  aws_pager pg = {"NextToken", "NextToken", NULL, domains};
  return aws_json_call(c, t, "SageMaker", op, input,
                       !strcmp(op, "ListDomains") ? &pg : NULL, out, ae, e);
}
