"""A loopback AWS for the tests: EC2, STS, IAM, EMR and SageMaker on one
127.0.0.1 port, plus a container-credentials endpoint and IMDSv2.

Every API request's SigV4 signature is recomputed with botocore and must
match; the credentials, session token, signing name, region and endpoint
path must be the right ones for the service. Answers are in each service's
wire format (awswire.py) and page on purpose. Faults are injected on
request: throttling answers before success (or for ever, on one call or
all), a session token that AWS declares expired, slow answers (per call,
or a latency and random jitter on every API answer). IAM is enforced as
AWS does (fakeiam.py): each caller may make only the calls its identity policies in the world
allow, and AssumeRole needs the role and its trust.
"""
import datetime
import http.server
import json
import random
import re
import secrets
import threading
import time
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import awswire
import fakeiam

SIGNING = {'ec2': 'ec2', 'sts': 'sts', 'iam': 'iam',
           'emr': 'elasticmapreduce', 'sagemaker': 'sagemaker',
           'route53resolver': 'route53resolver'}
VERSIONS = {'2016-11-15': 'ec2', '2011-06-15': 'sts', '2010-05-08': 'iam'}
EC2_LISTS = {'DescribeVpcs': 'Vpcs', 'DescribeSubnets': 'Subnets',
             'DescribeRouteTables': 'RouteTables',
             'DescribeSecurityGroups': 'SecurityGroups',
             'DescribeNetworkAcls': 'NetworkAcls',
             'DescribeVpcPeeringConnections': 'VpcPeeringConnections',
             'DescribeNetworkInterfaces': 'NetworkInterfaces',
             'DescribeManagedPrefixLists': 'PrefixLists',
             'DescribeVpcEndpoints': 'VpcEndpoints',
             'DescribeDhcpOptions': 'DhcpOptions'}
# the filters the tests send, per call, and the key each one matches (EC2
# answers InvalidParameterValue for a filter the call does not know)
EC2_FILTERS = {'DescribeDhcpOptions': {'dhcp-options-id': 'DhcpOptionsId'}}
VPC_FILTER = {'vpc-id': 'VpcId'}
# fault name -> (HTTP status, error code or None for a bare proxy page)
FAULTS = {'RequestLimitExceeded': (503, 'RequestLimitExceeded'),
          'Throttling': (400, 'Throttling'),
          'ThrottlingException': (400, 'ThrottlingException'),
          'TooManyRequestsException': (429, 'TooManyRequestsException'),
          'InternalError': (500, 'InternalError'),
          'AccessDeniedException': (400, 'AccessDeniedException'),
          'ValidationException': (400, 'ValidationException'),
          '503': (503, None)}
AUTH_RE = re.compile(r'AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/'
                     r'([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), '
                     r'Signature=([0-9a-f]{64})$')


def iso(t):
    return datetime.datetime.utcfromtimestamp(t).strftime('%Y-%m-%dT%H:%M:%SZ')


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Creds:
    def __init__(self, akid, secret, token, account, arn, kind, expires=None):
        self.akid, self.secret, self.token = akid, secret, token
        self.account, self.arn, self.kind = account, arn, kind
        self.expires = expires
        self.expired = False


class FakeAWS:
    def __init__(self, world, roles, region='us-east-1'):
        self.world, self.roles, self.region = world, roles, region
        self.creds = {}
        self.lock = threading.Lock()
        self.calls = []            # (account, service, op, status, code)
        self.faults = {}           # "account:Op" or "Op" -> [fault, ...]
        self.forever = {}          # "account:Op" or "Op" -> fault, always
        self.expire_on = []        # [(creds kind, op)] one-shot expiries
        self.delay = {}            # op -> seconds
        self.latency = 0.0         # seconds added to every API answer
        self.jitter = 0.0          # and a random 0..jitter more (answer order)
        self.exempt = {'GetCallerIdentity'}  # not faulted by forever['*']
        self.assume_ttl = {}       # role -> [ttl for each AssumeRole, ...]
        self.paths = {}            # service -> the path its endpoint has
        self.container_token = None
        self.container_hits = 0
        self.imds_hits = 0
        self.imds_tokens = set()
        self.issued = []           # every secret handed out (for leak checks)
        self.signature_failures = 0
        self.iam_filters = []
        self.leaky = set()         # ops whose error quotes the caller's secrets
        self.started = []          # ops as they arrive (before any delay)
        self.conns = set()         # client (address, port): one per connection
        self.requests = 0
        self.open_now = self.open_max = 0   # connections open at once
        self.busy_now = self.busy_max = 0   # API requests in flight at once

    # ---- credentials ----

    def add_creds(self, account, arn, kind, token=True, ttl=3600):
        akid = ('ASIA' if token else 'AKIA') + secrets.token_hex(8).upper()
        c = Creds(akid, secrets.token_urlsafe(30),
                  secrets.token_urlsafe(120) if token else None,
                  account, arn, kind, time.time() + ttl if token else None)
        with self.lock:
            self.creds[akid] = c
            self.issued += [c.secret] + ([c.token] if c.token else [])
        return c

    # ---- HTTP ----

    def start(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *a):
                pass

            def setup(self):
                super().setup()
                with fake.lock:
                    fake.open_now += 1
                    fake.open_max = max(fake.open_max, fake.open_now)

            def finish(self):
                with fake.lock:
                    fake.open_now -= 1
                super().finish()

            def _any(self, method):
                with fake.lock:
                    fake.conns.add(self.client_address)
                    fake.requests += 1
                n = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(n) if n else b''
                try:
                    status, headers, out = fake.handle(method, self.path,
                                                       self.headers, body)
                except Exception as ex:  # a bug in the fake: make it loud
                    status, headers, out = 599, {}, ('fake: %r' % ex).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header('Content-Length', str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def do_POST(self):
                self._any('POST')

            def do_GET(self):
                self._any('GET')

            def do_PUT(self):
                self._any('PUT')

        class Server(http.server.ThreadingHTTPServer):
            # many connections at once (a concurrent fetch): socketserver's
            # backlog of 5 would drop SYNs and cost a second each
            request_queue_size = 128

        self.httpd = Server(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, method, path, headers, body):
        if path.startswith('/latest/'):
            return self.imds(method, path, headers)
        if path.startswith('/container-creds'):
            return self.container(method, headers)
        with self.lock:
            self.busy_now += 1
            self.busy_max = max(self.busy_max, self.busy_now)
        try:
            if self.latency or self.jitter:   # every answer, errors too
                time.sleep(self.latency + random.uniform(0, self.jitter))
            return self.api(method, path, headers, body)
        finally:
            with self.lock:
                self.busy_now -= 1

    # ---- metadata services ----

    def container(self, method, headers):
        with self.lock:
            self.container_hits += 1
        if self.container_token and headers.get('Authorization') != self.container_token:
            return 401, {}, b'{"message": "bad authorization token"}'
        c = self.add_creds(self.studio_account(), 'arn:aws:sts::%s:assumed-role/'
                           'StudioExecutionRole/SageMaker' % self.studio_account(),
                           'container')
        doc = {'AccessKeyId': c.akid, 'SecretAccessKey': c.secret,
               'Token': c.token, 'Expiration': iso(c.expires),
               'RoleArn': 'arn:aws:iam::%s:role/StudioExecutionRole' % c.account}
        return 200, {'Content-Type': 'application/json'}, json.dumps(doc).encode()

    def imds(self, method, path, headers):
        with self.lock:
            self.imds_hits += 1
        if path == '/latest/api/token':
            if method != 'PUT' or not headers.get('X-aws-ec2-metadata-token-ttl-seconds'):
                return 400, {}, b''
            tok = secrets.token_urlsafe(40)
            self.imds_tokens.add(tok)
            self.issued.append(tok)
            return 200, {}, tok.encode()
        if headers.get('X-aws-ec2-metadata-token') not in self.imds_tokens:
            return 401, {}, b''
        base = '/latest/meta-data/iam/security-credentials/'
        if path == base:
            return 200, {}, b'StudioInstanceRole'
        if path == base + 'StudioInstanceRole':
            c = self.add_creds(self.studio_account(), 'arn:aws:sts::%s:assumed-role/'
                               'StudioInstanceRole/i-0abc' % self.studio_account(),
                               'imds')
            doc = {'Code': 'Success', 'LastUpdated': iso(time.time()),
                   'Type': 'AWS-HMAC', 'AccessKeyId': c.akid,
                   'SecretAccessKey': c.secret, 'Token': c.token,
                   'Expiration': iso(c.expires)}
            return 200, {}, json.dumps(doc).encode()
        return 404, {}, b''

    def studio_account(self):
        return sorted(self.world)[0]

    # ---- the API ----

    def error(self, service, status, code, message):
        proto = awswire.PROTOCOL[service]
        if code is None:
            return status, {'Content-Type': 'text/html'}, \
                b'<html><body><h1>503 Service Unavailable</h1></body></html>'
        if proto == 'ec2':
            return status, {'Content-Type': 'text/xml;charset=UTF-8'}, \
                awswire.ec2_error(code, message).encode()
        if proto == 'query':
            return status, {'Content-Type': 'text/xml'}, \
                awswire.query_error(service, code, message).encode()
        return status, {'Content-Type': 'application/x-amz-json-1.1',
                        'x-amzn-ErrorType': code,
                        'x-amzn-RequestId': 'b2f0a6d4-0000-4000-8000-000000000001'}, \
            awswire.json_error(code, message).encode()

    def record(self, account, service, op, status, code=None):
        with self.lock:
            self.calls.append((account, service, op, status, code))

    def count(self, op, account=None, status=None):
        return sum(1 for c in self.calls if c[2] == op and
                   (account is None or c[0] == account) and
                   (status is None or c[3] == status))

    def api(self, method, path, headers, body):
        target = headers.get('X-Amz-Target')
        m = AUTH_RE.match(headers.get('Authorization') or '')
        if target:
            prefix, _, op = target.partition('.')
            service = {'ElasticMapReduce': 'emr', 'SageMaker': 'sagemaker',
                       'Route53Resolver': 'route53resolver'}.get(prefix)
            params = json.loads(body or b'{}')
        else:
            form = urllib.parse.parse_qs(body.decode(), keep_blank_values=True)
            params = {k: v[0] for k, v in form.items()}
            op = params.get('Action', '')
            service = VERSIONS.get(params.get('Version'))
        if not service:
            return 400, {}, b'unknown service'
        if method != 'POST':
            return self.error(service, 405, 'MethodNotAllowed', method)
        if not m:
            return self.error(service, 403, 'MissingAuthenticationToken',
                              'Request is missing Authentication Token')
        akid, date, region, signing, signed, sig = m.groups()
        c = self.creds.get(akid)
        try:
            if path != self.paths.get(service, '/'):
                raise ApiError(404, 'UnknownEndpoint', '%s reached %s, wanted %s' %
                               (service, path, self.paths.get(service, '/')))
            if signing != SIGNING[service]:
                raise ApiError(403, 'IncompleteSignature', 'signing name %s' % signing)
            want_region = 'us-east-1' if service == 'iam' else self.region
            if region != want_region:
                raise ApiError(403, 'SignatureDoesNotMatch',
                               'Credential should be scoped to a valid region, not %s' % region)
            if c is None:
                raise ApiError(403, 'InvalidClientTokenId' if service != 'ec2' else 'AuthFailure',
                               'The security token included in the request is invalid.')
            self.verify(method, path, headers, body, c, region, signing, signed, sig)
            if target and headers.get('Content-Type') != 'application/x-amz-json-1.1':
                raise ApiError(400, 'SerializationException', 'content type')
            self.maybe_expire(c, service, op)
            self.maybe_fault(c.account, service, op)
            refused = fakeiam.authorize(self.world, c.arn, service, op,
                                        params, c.account, region)
            if refused:
                raise ApiError(*refused)
            if op in self.leaky:
                raise ApiError(403, 'AccessDenied', 'denied for key %s secret %s '
                               'token %s' % (c.akid, c.secret, c.token))
            self.started.append(op)
            if op in self.delay:
                time.sleep(self.delay[op])
            data = getattr(self, 'op_' + service)(c, op, params)
        except ApiError as e:
            self.record(c.account if c else None, service, op, e.status, e.code)
            return self.error(service, e.status, e.code, e.message)
        self.record(c.account, service, op, 200)
        ctype = {'ec2': 'text/xml;charset=UTF-8', 'query': 'text/xml',
                 'json': 'application/x-amz-json-1.1'}[awswire.PROTOCOL[service]]
        return 200, {'Content-Type': ctype,
                     'x-amzn-RequestId': 'a1b2c3d4-0000-4000-8000-000000000002'}, \
            awswire.wire(service, op, data).encode()

    def verify(self, method, path, headers, body, c, region, signing, signed, sig):
        names = signed.split(';')
        for need in ('host', 'x-amz-date'):
            if need not in names:
                raise ApiError(403, 'IncompleteSignature', '%s not signed' % need)
        if c.token:
            if headers.get('X-Amz-Security-Token') != c.token:
                raise ApiError(403, 'InvalidClientTokenId' if 'ec2' != signing else 'AuthFailure',
                               'The security token included in the request is invalid')
            if 'x-amz-security-token' not in names:
                raise ApiError(403, 'IncompleteSignature', 'token not signed')
        elif headers.get('X-Amz-Security-Token'):
            raise ApiError(403, 'InvalidClientTokenId', 'unexpected token')
        req = AWSRequest(method=method, url='http://%s%s' % (headers['Host'], path),
                         data=body)
        for n in names:
            for v in headers.get_all(n) or []:
                req.headers[n] = v
        amz_date = headers.get('X-Amz-Date', '')
        t = datetime.datetime.strptime(amz_date, '%Y%m%dT%H%M%SZ').replace(
            tzinfo=datetime.timezone.utc).timestamp()
        if abs(time.time() - t) > 300:
            raise ApiError(403, 'SignatureDoesNotMatch', 'Signature expired')
        auth = SigV4Auth(Credentials(c.akid, c.secret, c.token), signing, region)
        req.context['timestamp'] = amz_date
        cr = auth.canonical_request(req)
        want = auth.signature(auth.string_to_sign(req, cr), req)
        if want != sig:
            self.signature_failures += 1
            raise ApiError(403, 'SignatureDoesNotMatch',
                           'The request signature we calculated does not match '
                           'the signature you provided.')

    def maybe_expire(self, c, service, op):
        for i, (kind, eop) in enumerate(self.expire_on):
            if c.kind == kind and op == eop and not c.expired:
                c.expired = True
                del self.expire_on[i]
                break
        if c.expired or (c.expires and c.expires < time.time()):
            code = {'ec2': 'RequestExpired', 'query': 'ExpiredToken',
                    'json': 'ExpiredTokenException'}[awswire.PROTOCOL[service]]
            raise ApiError(400 if service != 'sts' else 403, code,
                           'The security token included in the request is expired')

    def maybe_fault(self, account, service, op):
        keys = ('%s:%s' % (account, op), op) + (('*',) if op not in self.exempt else ())
        for key in keys:
            if key in self.forever:
                status, code = FAULTS[self.forever[key]]
                raise ApiError(status, code, 'Rate exceeded')
            q = self.faults.get(key)
            if q:
                status, code = FAULTS[q.pop(0)]
                raise ApiError(status, code, 'Rate exceeded')

    # ---- services ----

    @staticmethod
    def page(items, key, token, size=2):
        start = int(token or 0)
        out = {key: items[start:start + size]}
        if start + size < len(items):
            out['NextToken' if key != 'Clusters' and key != 'Instances' else 'Marker'] = \
                str(start + size)
        return out

    @staticmethod
    def filters(params):
        f = {}
        for k, v in params.items():
            mm = re.match(r'Filter\.(\d+)\.Name$', k)
            if mm:
                vals = [params[x] for x in sorted(params)
                        if x.startswith('Filter.%s.Value.' % mm.group(1))]
                f[v] = vals
        return f

    def op_ec2(self, c, op, params):
        w = self.world.get(c.account)
        if w is None:
            raise ApiError(401, 'OptInRequired', 'no such account here')
        if op in EC2_LISTS:
            items = w.get(EC2_LISTS[op], [])
            known = EC2_FILTERS.get(op, VPC_FILTER)
            for name, vals in self.filters(params).items():
                if name not in known:
                    raise ApiError(400, 'InvalidParameterValue',
                                   "The filter '%s' is invalid" % name)
                items = [i for i in items if i.get(known[name]) in vals]
            return self.page(items, EC2_LISTS[op], params.get('NextToken'))
        if op == 'DescribeVpcAttribute':
            vpc, attr = params.get('VpcId'), params.get('Attribute')
            if vpc not in w['VpcAttributes']:
                raise ApiError(400, 'InvalidVpcID.NotFound',
                               "The vpc ID '%s' does not exist" % vpc)
            key = attr[0].upper() + attr[1:]
            return {'VpcId': vpc, key: {'Value': w['VpcAttributes'][vpc][attr]}}
        if op == 'GetManagedPrefixListEntries':
            pl = params.get('PrefixListId')
            if pl not in w['PrefixListEntries']:
                raise ApiError(400, 'InvalidPrefixListID.NotFound', pl)
            return self.page(w['PrefixListEntries'][pl], 'Entries',
                             params.get('NextToken'))
        raise ApiError(400, 'InvalidAction', op)

    def op_sts(self, c, op, params):
        if op == 'GetCallerIdentity':
            return {'UserId': 'AIDA' + c.akid[4:], 'Account': c.account,
                    'Arn': c.arn}
        if op == 'AssumeRole':
            # fakeiam.authorize() let it through: the role exists and
            # trusts the caller, who may assume it
            role = params.get('RoleArn')
            r = {'account': role.split(':')[4]}
            session = params.get('RoleSessionName')
            ttls = self.assume_ttl.get(role)
            ttl = ttls.pop(0) if ttls else 3600
            nc = self.add_creds(r['account'], 'arn:aws:sts::%s:assumed-role/%s/%s'
                                % (r['account'], role.split('/')[-1], session),
                                'assumed', ttl=ttl)
            nc.session = session
            return {'Credentials': {'AccessKeyId': nc.akid,
                                    'SecretAccessKey': nc.secret,
                                    'SessionToken': nc.token,
                                    'Expiration': iso(nc.expires)},
                    'AssumedRoleUser': {'AssumedRoleId': 'AROA0000:' + session,
                                        'Arn': nc.arn}}
        raise ApiError(400, 'InvalidAction', op)

    def op_iam(self, c, op, params):
        if op != 'GetAccountAuthorizationDetails':
            raise ApiError(400, 'InvalidAction', op)
        w = self.world[c.account]['IAM']
        flt = [v for k, v in sorted(params.items()) if k.startswith('Filter.member.')]
        self.iam_filters.append(flt)
        lists = {'UserDetailList': 'User' in flt or not flt,
                 'GroupDetailList': 'Group' in flt or not flt,
                 'RoleDetailList': 'Role' in flt or not flt}
        pols = [p for p in w['Policies'] if not flt or
                ('AWSManagedPolicy' in flt and ':aws:policy/' in p['Arn']) or
                ('LocalManagedPolicy' in flt and ':aws:policy/' not in p['Arn'])]
        i = int(params.get('Marker') or 0)
        out, more = {}, False
        for key, wanted in lists.items():
            if wanted:
                out[key] = w[key][2 * i:2 * i + 2]
                more |= len(w[key]) > 2 * i + 2
        out['Policies'] = pols[2 * i:2 * i + 2]
        more |= len(pols) > 2 * i + 2
        out['IsTruncated'] = more
        if more:
            out['Marker'] = str(i + 1)
        return out

    def op_sagemaker(self, c, op, params):
        w = self.world.get(c.account, {})
        doms = w.get('Domains', {})
        if op == 'ListDomains':
            summ = [{'DomainArn': d['DomainArn'], 'DomainId': d['DomainId'],
                     'DomainName': d['DomainName'], 'Status': d['Status'],
                     'CreationTime': d['CreationTime'], 'Url': d['Url']}
                    for d in doms.values()]
            return self.page(summ, 'Domains', params.get('NextToken'), size=1)
        if op == 'DescribeDomain':
            d = doms.get(params.get('DomainId'))
            if not d:
                raise ApiError(400, 'ResourceNotFound', 'Domain not found')
            return d
        if op in ('ListUserProfiles', 'ListSpaces'):
            return self.sm_list(w, op, params)
        if op in ('DescribeUserProfile', 'DescribeSpace'):
            key = 'UserProfileName' if op == 'DescribeUserProfile' else 'SpaceName'
            for need in ('DomainId', key):
                if not isinstance(params.get(need), str):
                    raise ApiError(400, 'ValidationException',
                                   "1 validation error detected: Value null at '%s%s' "
                                   'failed to satisfy constraint: Member must not be null'
                                   % (need[0].lower(), need[1:]))
            table = w.get('UserProfiles' if key == 'UserProfileName' else 'Spaces', {})
            item = table.get((params['DomainId'], params[key]))
            if not item:
                raise ApiError(400, 'ResourceNotFound', '%s %s does not exist.' % (
                    'User profile' if key == 'UserProfileName' else 'Space', params[key]))
            return item
        raise ApiError(400, 'UnknownOperationException', op)

    def sm_list(self, w, op, params):
        """ListUserProfiles / ListSpaces: summaries, filtered by DomainIdEquals,
        paged by NextToken (a page of 1, so that paging is exercised)."""
        known = {'NextToken', 'MaxResults', 'SortOrder', 'SortBy', 'DomainIdEquals',
                 'UserProfileNameContains' if op == 'ListUserProfiles'
                 else 'SpaceNameContains'}
        bad = set(params) - known
        if bad:
            raise ApiError(400, 'SerializationException',
                           'Unknown field(s): %s' % ', '.join(sorted(bad)))
        dom = params.get('DomainIdEquals')
        if op == 'ListUserProfiles':
            summ = [{'DomainId': d, 'UserProfileName': n, 'Status': p['Status'],
                     'CreationTime': p['CreationTime'],
                     'LastModifiedTime': p['LastModifiedTime']}
                    for (d, n), p in sorted(w.get('UserProfiles', {}).items())
                    if dom in (None, d)]
            key = 'UserProfiles'
        else:
            summ = []
            for (d, n), sp in sorted(w.get('Spaces', {}).items()):
                if dom not in (None, d):
                    continue
                x = {'DomainId': d, 'SpaceName': n, 'Status': sp['Status'],
                     'CreationTime': sp['CreationTime'],
                     'LastModifiedTime': sp['LastModifiedTime'],
                     'SpaceSettingsSummary': {'AppType': sp['SpaceSettings']['AppType']},
                     'SpaceSharingSettingsSummary': sp['SpaceSharingSettings'],
                     'SpaceDisplayName': sp['SpaceDisplayName']}
                if 'OwnershipSettings' in sp:
                    x['OwnershipSettingsSummary'] = sp['OwnershipSettings']
                summ.append(x)
            key = 'Spaces'
        return self.page(summ, key, params.get('NextToken'), size=1)

    def op_route53resolver(self, c, op, params):
        """ListResolverRules / ListResolverRuleAssociations: every rule (or
        association) of the account, a page of 2 with MaxResults in each
        answer, as the service sends it."""
        key = {'ListResolverRules': 'ResolverRules',
               'ListResolverRuleAssociations': 'ResolverRuleAssociations'}.get(op)
        if not key:
            raise ApiError(400, 'UnknownOperationException', op)
        bad = set(params) - {'NextToken', 'MaxResults', 'Filters'}
        if bad:
            raise ApiError(400, 'SerializationException',
                           'Unknown field(s): %s' % ', '.join(sorted(bad)))
        items = self.world.get(c.account, {}).get(key, [])
        out = self.page(items, key, params.get('NextToken'))
        out['MaxResults'] = 2
        return out

    def op_emr(self, c, op, params):
        w = self.world.get(c.account, {})
        cl = w.get('Clusters', {})
        if op == 'ListClusters':
            states = params.get('ClusterStates') or []
            summ = [{'Id': k, 'Name': v['Name'], 'Status': v['Status'],
                     'NormalizedInstanceHours': v['NormalizedInstanceHours'],
                     'ClusterArn': v['ClusterArn']}
                    for k, v in sorted(cl.items())
                    if not states or v['Status']['State'] in states]
            return self.page(summ, 'Clusters', params.get('Marker'), size=1)
        if op in ('DescribeCluster', 'ListInstances'):
            cid = params.get('ClusterId')
            if cid not in cl:
                raise ApiError(400, 'InvalidRequestException',
                               'Cluster id %s is not valid.' % cid)
            if op == 'DescribeCluster':
                return {'Cluster': cl[cid]}
            return self.page(w['Instances'].get(cid, []), 'Instances',
                             params.get('Marker'))
        if op in ('ListInstanceGroups', 'ListInstanceFleets', 'ListBootstrapActions'):
            cid = params.get('ClusterId')
            if cid not in cl:
                raise ApiError(400, 'InvalidRequestException',
                               'Cluster id %s is not valid.' % cid)
            key = op[4:]
            return {key: w.get(key, {}).get(cid, [])}
        if op == 'DescribeSecurityConfiguration':
            sc = w.get('SecurityConfigurations', {}).get(params.get('Name'))
            if not sc:
                raise ApiError(400, 'InvalidRequestException',
                               'Security configuration does not exist')
            return sc
        raise ApiError(400, 'UnknownOperationException', op)


def main():
    """Serve the loopback AWS until SIGTERM/SIGINT, for benchmarks and
    manual runs (scripts/bench.sh): writes a shell file to source
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
    AWS_ENDPOINT_URL of the Studio account's admin) and, with
    --emr-accounts, the intent naming every account."""
    import argparse
    import os
    import signal
    import world
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument('--emr-accounts', type=int, default=0,
                    help='1 Studio + N EMR accounts (orgworld.py); 0: the '
                    'two-account world of world.py')
    ap.add_argument('--failing', type=int, default=0,
                    help='the last K of the N accounts refuse AssumeRole of '
                    'their read role')
    ap.add_argument('--latency-ms', type=float, default=0.0,
                    help='delay every API answer by this much')
    ap.add_argument('--env-out', required=True, help='shell file to write')
    ap.add_argument('--intent-out', help='xacct-doctor.json to write '
                    '(with --emr-accounts)')
    a = ap.parse_args()
    if a.emr_accounts:
        import orgworld
        w, roles = orgworld.build(a.emr_accounts, failing=set(
            range(a.emr_accounts - a.failing + 1, a.emr_accounts + 1)))
        if a.intent_out:
            with open(a.intent_out, 'w') as f:
                json.dump(orgworld.intent(a.emr_accounts), f, indent=2)
    else:
        w, roles = world.build()
    fake = FakeAWS(w, roles).start()
    fake.latency = a.latency_ms / 1000.0
    admin = fake.add_creds(world.STUDIO, 'arn:aws:iam::%s:user/admin' % world.STUDIO,
                           'static', token=False)
    fd = os.open(a.env_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write('AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n'
                'AWS_REGION=%s\nAWS_ENDPOINT_URL=%s\n'
                'export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION '
                'AWS_ENDPOINT_URL\n' % (admin.akid, admin.secret, world.REGION,
                                         fake.url))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print('loopback AWS at %s (%d accounts, %g ms per answer)'
          % (fake.url, len(w), a.latency_ms), flush=True)
    stop.wait()
    fake.stop()


if __name__ == '__main__':
    main()
