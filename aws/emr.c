/* aws/emr.c: the EMR calls Studio makes to find and reach a cluster. */
#include "internal.h"

#include <string.h>

xd_rc aws_emr_call(aws_ctx *c, const aws_target *t, const char *op,
                   const cJSON *input, cJSON **out, aws_api_error *ae,
                   xd_err *e)
{
  static const char *const clusters[] = {"Clusters", NULL};
  static const char *const instances[] = {"Instances", NULL};
  aws_pager pg = {"Marker", "Marker", NULL, NULL, NULL};
  if(!strcmp(op, "ListClusters"))
    pg.keys = clusters;
  else if(!strcmp(op, "ListInstances"))
    pg.keys = instances;
  return aws_json_call(c, t, "ElasticMapReduce", op, input,
                       pg.keys ? &pg : NULL, out, ae, e);
}
