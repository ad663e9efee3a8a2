/* aws/iam.c: the account's roles and policies in one paged call. Users and
 * groups are left out (Filter): the diagnosis needs roles, their trust
 * policies and the managed policies attached to them, and a support
 * bundle should not carry the account's people. */
#include "internal.h"

xd_rc aws_iam_auth_details(aws_ctx *c, const aws_target *t, cJSON **out,
                           aws_api_error *ae, xd_err *e)
{
  static const char *const keys[] = {"UserDetailList", "GroupDetailList",
                                     "RoleDetailList", "Policies", NULL};
  aws_pager pg = {"Marker", "Marker", "IsTruncated", keys, NULL};
  aws_params p;
  xd_rc rc;
  aws_params_init(&p);
  aws_params_add(&p, "Filter.member.1", "Role");
  aws_params_add(&p, "Filter.member.2", "LocalManagedPolicy");
  aws_params_add(&p, "Filter.member.3", "AWSManagedPolicy");
  rc = p.b.failed ? xd_fail(e, XD_E_NOMEM, "out of memory")
                  : aws_query_call(c, t, "GetAccountAuthorizationDetails",
                                   AWS_IAM_VERSION, &p, &pg, out, ae, e);
  aws_params_free(&p);
  return rc;
}
