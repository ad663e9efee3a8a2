"""IAM as the loopback AWS enforces it (fake_aws.py), as strict as AWS for
what the tests use: a caller may do only what its identity policies allow
(inline and attached, Action/NotAction with wildcards, Resource/NotResource,
explicit Deny wins), and AssumeRole also needs the role to exist and its
trust policy to name the caller or the caller's account. A principal the
world does not describe has no policy, so it may do nothing, as in AWS.
Conditions are not evaluated: a world that uses one is a bug in the test,
so it raises rather than guess.

The AccessDenied messages are the ones AWS writes today ("User: ARN is not
authorized to perform: ACTION on resource: RES because no identity-based
policy allows the ACTION action"); the status and code are each service's.
"""
import fnmatch
import re

PREFIX = {'ec2': 'ec2', 'iam': 'iam', 'sts': 'sts', 'emr': 'elasticmapreduce',
          'sagemaker': 'sagemaker', 'route53resolver': 'route53resolver'}
# code and HTTP status of a refusal, per service (as AWS answers)
DENIED = {'ec2': (403, 'UnauthorizedOperation'), 'iam': (403, 'AccessDenied'),
          'sts': (403, 'AccessDenied'), 'emr': (400, 'AccessDeniedException'),
          'sagemaker': (400, 'AccessDeniedException'),
          'route53resolver': (400, 'AccessDeniedException')}
# calls every principal may make, whatever its policies say
FREE = {('sts', 'GetCallerIdentity')}


def _list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _match(patterns, value, icase):
    for p in patterns:
        if icase:
            if fnmatch.fnmatchcase(value.lower(), p.lower()):
                return True
        elif fnmatch.fnmatchcase(value, p):
            return True
    return False


def _applies(stmt, action, resource):
    if 'Condition' in stmt:
        raise ValueError('fakeiam: conditions are not evaluated: %r' % stmt)
    if 'Action' in stmt:
        act = _match(_list(stmt['Action']), action, True)
    else:
        act = not _match(_list(stmt.get('NotAction')), action, True)
    if 'Resource' in stmt:
        res = _match(_list(stmt['Resource']), resource, False)
    elif 'NotResource' in stmt:
        res = not _match(_list(stmt['NotResource']), resource, False)
    else:
        res = True   # trust policies have no Resource
    return act and res


def evaluate(docs, action, resource):
    """'allow', 'deny' (explicit) or None (no statement allows)."""
    allowed = False
    for doc in docs:
        for stmt in _list(doc.get('Statement')):
            if not _applies(stmt, action, resource):
                continue
            if stmt.get('Effect') == 'Deny':
                return 'deny'
            if stmt.get('Effect') == 'Allow':
                allowed = True
    return 'allow' if allowed else None


def identity_of(arn):
    """(account, IAM ARN of the identity) of a caller's ARN: an assumed-role
    session stands for its role."""
    m = re.match(r'arn:aws:sts::(\d{12}):assumed-role/([^/]+)/', arn or '')
    if m:
        return m.group(1), 'arn:aws:iam::%s:role/%s' % m.groups()
    m = re.match(r'arn:aws:iam::(\d{12}):', arn or '')
    return (m.group(1), arn) if m else (None, arn)


def find_role(world, arn):
    m = re.match(r'arn:aws:iam::(\d{12}):role/(.+)$', arn or '')
    if not m:
        return None
    iam = world.get(m.group(1), {}).get('IAM', {})
    for r in iam.get('RoleDetailList', []):
        if r['Arn'] == arn:
            return r
    return None


def policies_of(world, arn):
    """The identity policy documents of the caller with this ARN, or None
    for the account's root (which may do anything)."""
    account, ident = identity_of(arn)
    if ident == 'arn:aws:iam::%s:root' % account:
        return None
    # an assumed-role ARN carries the role's name but not its path
    # (service-role/...): AWS finds the role all the same
    session = re.match(r'arn:aws:sts::\d{12}:assumed-role/([^/]+)/', arn or '')
    iam = world.get(account, {}).get('IAM', {})
    managed = {p['Arn']: p for p in iam.get('Policies', [])}
    # AWS managed policies (arn:aws:iam::aws:policy/...) are in every account
    for other in world.values():
        for p in other.get('IAM', {}).get('Policies', []):
            if ':aws:policy/' in p['Arn']:
                managed.setdefault(p['Arn'], p)
    for key, inline in (('RoleDetailList', 'RolePolicyList'),
                        ('UserDetailList', 'UserPolicyList')):
        for who in iam.get(key, []):
            if who['Arn'] != ident and not (
                    session and key == 'RoleDetailList' and
                    who['RoleName'] == session.group(1)):
                continue
            docs = [p['PolicyDocument'] for p in who.get(inline, [])]
            for a in who.get('AttachedManagedPolicies', []):
                p = managed.get(a['PolicyArn'])
                for v in (p or {}).get('PolicyVersionList', []):
                    if v.get('IsDefaultVersion'):
                        docs.append(v['Document'])
            return docs
    return []


def resource_of(service, op, params, account, region):
    if service == 'emr' and 'ClusterId' in params:
        return 'arn:aws:elasticmapreduce:%s:%s:cluster/%s' % (
            region, account, params['ClusterId'])
    if service == 'sagemaker' and op == 'DescribeDomain':
        return 'arn:aws:sagemaker:%s:%s:domain/%s' % (
            region, account, str(params.get('DomainId', '')).lower())
    if service == 'sts' and op == 'AssumeRole':
        return params.get('RoleArn', '')
    return '*'


def denial(service, caller, action, resource, why):
    """(status, code, message) of a refusal, in AWS's words."""
    status, code = DENIED[service]
    msg = 'User: %s is not authorized to perform: %s' % (caller, action)
    if resource != '*' or service in ('iam', 'sts'):
        msg += ' on resource: %s' % resource
    if why == 'deny':
        msg += ' with an explicit deny in an identity-based policy'
    elif why == 'implicit':
        msg += ' because no identity-based policy allows the %s action' % action
    if service == 'ec2':
        msg = 'You are not authorized to perform this operation. ' + msg
    return status, code, msg


def authorize(world, caller, service, op, params, account, region):
    """None when the call is allowed, else (status, code, message)."""
    if (service, op) in FREE:
        return None
    action = '%s:%s' % (PREFIX[service], op)
    resource = resource_of(service, op, params, account, region)
    docs = policies_of(world, caller)
    verdict = 'allow' if docs is None else evaluate(docs, action, resource)
    if service == 'sts' and op == 'AssumeRole':
        return _assume(world, caller, docs, verdict, resource)
    if verdict != 'allow':
        return denial(service, caller, action, resource,
                      'deny' if verdict == 'deny' else 'implicit')
    return None


def _trusts(trust, caller_account, ident):
    """The trust policy's verdict for the caller: 'allow' naming the
    identity itself, 'account' naming its account, 'deny', or None."""
    best = None
    for stmt in _list(trust.get('Statement')):
        if 'Condition' in stmt:
            raise ValueError('fakeiam: conditions are not evaluated: %r' % stmt)
        acts = _list(stmt.get('Action'))
        if not _match(acts, 'sts:AssumeRole', True):
            continue
        aws = _list((stmt.get('Principal') or {}).get('AWS')) \
            if isinstance(stmt.get('Principal'), dict) else \
            (['*'] if stmt.get('Principal') == '*' else [])
        named = ident in aws or '*' in aws
        acct = caller_account in aws or \
            'arn:aws:iam::%s:root' % caller_account in aws
        if not (named or acct):
            continue
        if stmt.get('Effect') == 'Deny':
            return 'deny'
        if stmt.get('Effect') == 'Allow':
            best = 'allow' if named else (best or 'account')
    return best


def _assume(world, caller, docs, verdict, role_arn):
    """AssumeRole: the role must exist and trust the caller, and unless the
    trust names the caller itself in the role's own account, the caller's
    policies must allow sts:AssumeRole on it. AWS does not say which."""
    account, ident = identity_of(caller)
    role = find_role(world, role_arn)
    trust = _trusts(role['AssumeRolePolicyDocument'], account, ident) \
        if role else None
    same = role_arn.split(':')[4:5] == [account]
    ok = role is not None and trust in ('allow', 'account') and \
        verdict != 'deny' and \
        (verdict == 'allow' or (same and trust == 'allow'))
    if ok:
        return None
    why = 'implicit' if role is not None and trust in ('allow', 'account') \
        and verdict is None else ('deny' if verdict == 'deny' else None)
    return denial('sts', caller, 'sts:AssumeRole', role_arn, why)
