#!/usr/bin/env bash
# docs/collect.sh: write an xacct-doctor snapshot folder with the AWS CLI,
# for those who will not run our binary with their credentials. The folder
# is the one `xacct-doctor fetch` writes (see the contract): one file per
# call, exactly as `aws <service> <command> --output json` prints it, one
# folder per account and Region. Read it with
#   xacct-doctor analyze --snapshot DIR
#
# Usage:
#   collect.sh --studio-profile PROFILE [--emr-profile PROFILE]...
#              [--region REGION] [--domain-id D-ID] [--cluster-id J-ID]...
#              [--user-profile NAME] [--space NAME]
#              [--role-file FILE] [--out DIR]
#
#   --studio-profile  AWS CLI profile of the SageMaker Studio account
#                     (default: the CLI's default credentials)
#   --emr-profile     a profile that reads an EMR account (repeatable). A
#                     profile with role_arn + source_profile assumes the
#                     cross-account role as Studio does.
#   --region          the Region (default: the Studio profile's)
#   --domain-id       the Studio domain (default: every domain listed)
#   --user-profile    the user profile to diagnose (default: every profile)
#   --space           the space to diagnose, with its owner's profile
#                     (default: every space)
#   --cluster-id      only this cluster (repeatable; default: every cluster
#                     in WAITING or RUNNING)
#   --role-file       the role file of the Studio host (default: Studio's
#                     standard path, when readable)
#   --out             the folder to write (default:
#                     xacct-doctor-snapshot-<UTC time>); it must not exist
#
# Only read-only calls are made (describe, list, get). The folder appears
# under its name only when complete; calls that fail are listed in
# DIR/fetch-errors.json and their files are absent. Exit status: 0 all
# calls succeeded (the optional Route 53 Resolver lists aside: theirs are
# listed with "optional": true), 1 some failed, 3 bad usage or unusable
# credentials.
set -euo pipefail

readonly ROLE_FILE_DEFAULT="/home/sagemaker-user/.cross-account-configuration-DO_NOT_DELETE/emr-discovery-iam-role-arns-DO_NOT_DELETE.json"
export AWS_PAGER=""

studio_profile=""
emr_profiles=()
region=""
domain_id=""
user_profile=""
space=""
cluster_ids=()
role_file=""
out=""
tmp=""
errors=()
optional=""      # set while call() reads an optional file
n_optional=0     # failures of optional files: listed, not counted

die() {
  printf 'collect.sh: %s\n' "$*" >&2
  exit 3
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --studio-profile) studio_profile=${2:?--studio-profile needs a value}; shift 2 ;;
    --emr-profile) emr_profiles+=("${2:?--emr-profile needs a value}"); shift 2 ;;
    --region) region=${2:?--region needs a value}; shift 2 ;;
    --domain-id) domain_id=${2:?--domain-id needs a value}; shift 2 ;;
    --cluster-id) cluster_ids+=("${2:?--cluster-id needs a value}"); shift 2 ;;
    --user-profile) user_profile=${2:?--user-profile needs a value}; shift 2 ;;
    --space) space=${2:?--space needs a value}; shift 2 ;;
    --role-file) role_file=${2:?--role-file needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

command -v aws >/dev/null 2>&1 || die "the AWS CLI (aws) is not installed"

# aws_p PROFILE ARGS...: the CLI with that profile ("" = default chain)
aws_p() {
  local profile=$1
  shift
  if [ -n "$profile" ]; then
    aws --profile "$profile" --region "$region" "$@"
  else
    aws --region "$region" "$@"
  fi
}

if [ -z "$region" ]; then
  if [ -n "$studio_profile" ]; then
    region=$(aws configure get region --profile "$studio_profile" || true)
  else
    region=${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region || true)}}
  fi
fi
[ -n "$region" ] || die "no Region: give --region"

[ -n "$out" ] || out="xacct-doctor-snapshot-$(date -u +%Y%m%dT%H%M%SZ)"
out=${out%/}
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  die "$out already exists and is not empty; choose a new --out"
fi
tmp=$(mktemp -d "${out}.tmp-XXXXXX") || die "cannot make a folder beside $out"
trap 'rm -rf "$tmp"' EXIT

# JSON string escaping for the error list (quotes, backslashes, controls)
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=$(printf '%s' "$s" | tr '\000-\037' ' ')
  printf '"%s"' "$s"
}

# call PROFILE ACCOUNT REL_FILE CLI_ARGS...: one call into one file; a
# failure is recorded and the file left out
call() {
  local profile=$1 account=$2 rel=$3
  shift 3
  local dest="$tmp/$rel" err
  mkdir -p "$(dirname "$dest")"
  if aws_p "$profile" --output json "$@" >"$dest.part" 2>"$tmp/.err"; then
    mv "$dest.part" "$dest"
  else
    rm -f "$dest.part"
    err=$(tr '\n' ' ' <"$tmp/.err")
    printf 'collect.sh: %s: aws %s %s failed: %s\n' "$account" "$1" "$2" "$err" >&2
    errors+=("{\"account\": $(json_str "$account"), \"region\": $(json_str "$region"), \"call\": $(json_str "$1 $2"), \"file\": $(json_str "$rel"), \"message\": $(json_str "$err")${optional:+, \"optional\": true}}")
    [ -z "$optional" ] || n_optional=$((n_optional + 1))
  fi
}

# opt_call: call for an optional file (the Route 53 Resolver rules): a
# failure is listed with "optional": true and does not fail the run
opt_call() {
  optional=1
  call "$@"
  optional=""
}

# text PROFILE CLI_ARGS...: a --query answer as words on one line (the CLI
# prints one line per page); "" on failure or None
text() {
  local profile=$1 v
  shift
  v=$(aws_p "$profile" --output text "$@" 2>/dev/null | tr -s '\t\n' '  ') || v=""
  v=${v% }
  [ "$v" = "None" ] && v=""
  printf '%s' "$v"
}

# network PROFILE ACCOUNT VPC...: the EC2 side of one account
network() {
  local profile=$1 account=$2
  shift 2
  local d="$account/$region" vpcs=("$@") v a pls pl values="" dopts
  call "$profile" "$account" "$d/ec2-describe-vpcs.json" ec2 describe-vpcs
  call "$profile" "$account" "$d/ec2-describe-subnets.json" ec2 describe-subnets
  call "$profile" "$account" "$d/ec2-describe-route-tables.json" ec2 describe-route-tables
  call "$profile" "$account" "$d/ec2-describe-security-groups.json" ec2 describe-security-groups
  call "$profile" "$account" "$d/ec2-describe-network-acls.json" ec2 describe-network-acls
  call "$profile" "$account" "$d/ec2-describe-vpc-peering-connections.json" \
    ec2 describe-vpc-peering-connections
  if [ ${#vpcs[@]} -eq 0 ]; then
    read -r -a vpcs <<<"$(text "$profile" ec2 describe-vpcs --query 'Vpcs[].VpcId')"
  fi
  for v in "${vpcs[@]}"; do
    for a in enableDnsSupport enableDnsHostnames; do
      call "$profile" "$account" "$d/ec2-describe-vpc-attribute--$v--$a.json" \
        ec2 describe-vpc-attribute --vpc-id "$v" --attribute "$a"
    done
  done
  if [ ${#vpcs[@]} -gt 0 ]; then
    values=$(IFS=,; printf '%s' "${vpcs[*]}")
    call "$profile" "$account" "$d/ec2-describe-network-interfaces.json" \
      ec2 describe-network-interfaces --filters "Name=vpc-id,Values=$values"
  fi
  # the control plane and DNS: the endpoints of those VPCs, the DHCP
  # options sets they hand out ("default" is none; with no set named, the
  # account's), and the Resolver rules (optional)
  if [ ${#vpcs[@]} -gt 0 ]; then
    call "$profile" "$account" "$d/ec2-describe-vpc-endpoints.json" \
      ec2 describe-vpc-endpoints --filters "Name=vpc-id,Values=$values"
    dopts=$(text "$profile" ec2 describe-vpcs --filters "Name=vpc-id,Values=$values" \
      --query 'Vpcs[].DhcpOptionsId' | tr ' ' '\n' | grep -v '^default$' |
      awk 'NF && !seen[$0]++' | paste -sd, - || true)
  else
    call "$profile" "$account" "$d/ec2-describe-vpc-endpoints.json" \
      ec2 describe-vpc-endpoints
    dopts=""
  fi
  if [ -n "$dopts" ]; then
    call "$profile" "$account" "$d/ec2-describe-dhcp-options.json" \
      ec2 describe-dhcp-options --filters "Name=dhcp-options-id,Values=$dopts"
  else
    call "$profile" "$account" "$d/ec2-describe-dhcp-options.json" \
      ec2 describe-dhcp-options
  fi
  opt_call "$profile" "$account" "$d/route53resolver-list-resolver-rules.json" \
    route53resolver list-resolver-rules
  opt_call "$profile" "$account" "$d/route53resolver-list-resolver-rule-associations.json" \
    route53resolver list-resolver-rule-associations
  call "$profile" "$account" "$d/ec2-describe-managed-prefix-lists.json" \
    ec2 describe-managed-prefix-lists
  pls=$( {
    text "$profile" ec2 describe-security-groups --query \
      'SecurityGroups[].[IpPermissions[].PrefixListIds[].PrefixListId, IpPermissionsEgress[].PrefixListIds[].PrefixListId][][]'
    echo
    text "$profile" ec2 describe-route-tables --query \
      'RouteTables[].Routes[].DestinationPrefixListId'
  } | tr -s '\t ' '\n' | grep '^pl-' | sort -u || true)
  for pl in $pls; do
    call "$profile" "$account" "$d/ec2-get-managed-prefix-list-entries--$pl.json" \
      ec2 get-managed-prefix-list-entries --prefix-list-id "$pl"
  done
}

iam() {
  local profile=$1 account=$2
  call "$profile" "$account" "$account/iam-get-account-authorization-details.json" \
    iam get-account-authorization-details --filter Role LocalManagedPolicy AWSManagedPolicy
}

# identities DOMAIN: the named space and its owner's profile, the named
# profile, or every profile and space of the domain (what applies to a
# user's space is its profile's settings over the domain's)
identities() {
  local dom=$1 names n owner
  local sd="$studio/$region"
  if [ -n "$space" ]; then
    call "$studio_profile" "$studio" "$sd/sagemaker-describe-space--$dom--$space.json" \
      sagemaker describe-space --domain-id "$dom" --space-name "$space"
    owner=$(text "$studio_profile" sagemaker describe-space --domain-id "$dom" \
      --space-name "$space" --query OwnershipSettings.OwnerUserProfileName)
    if [ -n "$owner" ] && [ "$owner" != None ]; then
      call "$studio_profile" "$studio" "$sd/sagemaker-describe-user-profile--$dom--$owner.json" \
        sagemaker describe-user-profile --domain-id "$dom" --user-profile-name "$owner"
    fi
    if [ -n "$user_profile" ] && [ "$user_profile" != "$owner" ]; then
      call "$studio_profile" "$studio" "$sd/sagemaker-describe-user-profile--$dom--$user_profile.json" \
        sagemaker describe-user-profile --domain-id "$dom" --user-profile-name "$user_profile"
    fi
    return 0
  fi
  if [ -n "$user_profile" ]; then
    names=$user_profile
  else
    names=$(text "$studio_profile" sagemaker list-user-profiles --domain-id-equals "$dom" \
      --query 'UserProfiles[].UserProfileName')
  fi
  for n in $names; do
    call "$studio_profile" "$studio" "$sd/sagemaker-describe-user-profile--$dom--$n.json" \
      sagemaker describe-user-profile --domain-id "$dom" --user-profile-name "$n"
  done
  [ -n "$user_profile" ] && return 0
  names=$(text "$studio_profile" sagemaker list-spaces --domain-id-equals "$dom" \
    --query 'Spaces[].SpaceName')
  for n in $names; do
    call "$studio_profile" "$studio" "$sd/sagemaker-describe-space--$dom--$n.json" \
      sagemaker describe-space --domain-id "$dom" --space-name "$n"
  done
}

# ---- the Studio account ----
studio=$(text "$studio_profile" sts get-caller-identity --query Account)
[ -n "$studio" ] || die "the Studio credentials do not work (aws sts get-caller-identity failed)"
printf 'collect.sh: Studio account %s, Region %s\n' "$studio" "$region" >&2

domains=()
if [ -n "$domain_id" ]; then
  domains=("$domain_id")
else
  read -r -a domains <<<"$(text "$studio_profile" sagemaker list-domains --query 'Domains[].DomainId')"
fi
studio_vpcs=()
for dom in "${domains[@]}"; do
  call "$studio_profile" "$studio" "$studio/$region/sagemaker-describe-domain--$dom.json" \
    sagemaker describe-domain --domain-id "$dom"
  v=$(text "$studio_profile" sagemaker describe-domain --domain-id "$dom" --query VpcId)
  [ -n "$v" ] && studio_vpcs+=("$v")
  identities "$dom"
done
rf=${role_file:-$ROLE_FILE_DEFAULT}
if [ -r "$rf" ]; then
  cp "$rf" "$tmp/$studio/studio-emr-discovery-iam-role-arns.json"
elif [ -n "$role_file" ]; then
  printf 'collect.sh: cannot read the role file %s; not copied\n' "$role_file" >&2
fi
network "$studio_profile" "$studio" ${studio_vpcs[@]+"${studio_vpcs[@]}"}
iam "$studio_profile" "$studio"

# ---- each EMR account ----
for p in ${emr_profiles[@]+"${emr_profiles[@]}"}; do
  acct=$(text "$p" sts get-caller-identity --query Account)
  if [ -z "$acct" ]; then
    printf 'collect.sh: profile %s: credentials do not work; skipped\n' "$p" >&2
    errors+=("{\"account\": null, \"region\": $(json_str "$region"), \"call\": \"sts GetCallerIdentity\", \"file\": null, \"message\": $(json_str "profile $p: credentials do not work")}")
    continue
  fi
  ids=()
  if [ ${#cluster_ids[@]} -gt 0 ]; then
    ids=("${cluster_ids[@]}")
  else
    read -r -a ids <<<"$(text "$p" emr list-clusters --cluster-states WAITING RUNNING --query 'Clusters[].Id')"
  fi
  emr_vpcs=()
  for id in ${ids[@]+"${ids[@]}"}; do
    d="$acct/$region"
    call "$p" "$acct" "$d/emr-describe-cluster--$id.json" emr describe-cluster --cluster-id "$id"
    call "$p" "$acct" "$d/emr-list-instances--$id.json" emr list-instances --cluster-id "$id"
    sc=$(text "$p" emr describe-cluster --cluster-id "$id" --query Cluster.SecurityConfiguration)
    if [ -n "$sc" ] && [ ! -e "$tmp/$d/emr-describe-security-configuration--$sc.json" ]; then
      call "$p" "$acct" "$d/emr-describe-security-configuration--$sc.json" \
        emr describe-security-configuration --name "$sc"
    fi
    sn=$(text "$p" emr describe-cluster --cluster-id "$id" --query Cluster.Ec2InstanceAttributes.Ec2SubnetId)
    if [ -n "$sn" ]; then
      v=$(text "$p" ec2 describe-subnets --subnet-ids "$sn" --query 'Subnets[0].VpcId')
      if [ -n "$v" ] && [[ " ${emr_vpcs[*]-} " != *" $v "* ]]; then
        emr_vpcs+=("$v")
      fi
    fi
  done
  network "$p" "$acct" ${emr_vpcs[@]+"${emr_vpcs[@]}"}
  iam "$p" "$acct"
done

# ---- the errors, then into place ----
rm -f "$tmp/.err"
if [ ${#errors[@]} -gt 0 ]; then
  {
    printf '{\n    "schema": "xacct-doctor.fetch-errors/1",\n    "errors": [\n'
    for i in "${!errors[@]}"; do
      sep=","
      [ "$i" -eq $((${#errors[@]} - 1)) ] && sep=""
      printf '        %s%s\n' "${errors[$i]}" "$sep"
    done
    printf '    ]\n}\n'
  } >"$tmp/fetch-errors.json"
fi
[ -d "$out" ] && rmdir "$out"
mv "$tmp" "$out"
trap - EXIT
failed=$((${#errors[@]} - n_optional))
printf 'collect.sh: snapshot written to %s (%d calls failed, %d optional ones)\n' \
  "$out" "$failed" "$n_optional" >&2
[ "$failed" -eq 0 ] || exit 1
exit 0
