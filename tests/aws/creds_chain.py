#!/usr/bin/python3
"""The credential chain, Region and endpoint resolution, as the AWS CLI has
them, checked through tests/aws/aws_creds_tool against temporary profile
files and the loopback endpoint (STS for role_arn, the container endpoint
with its token, IMDSv2 with its PUT token). Only 127.0.0.1 is contacted:
IMDS always points there or is disabled, and the container endpoint is
always given as a FULL_URI on 127.0.0.1.

Usage: creds_chain.py --tool PATH/aws_creds_tool
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_aws  # noqa: E402
from checks import check, summary  # noqa: E402
import world as W  # noqa: E402


def sha(s):
    return hashlib.sha256(s.encode()).hexdigest() if s is not None else None


class Env:
    def __init__(self, tmp, fake):
        self.tmp, self.fake = tmp, fake
        self.config = os.path.join(tmp, 'config')
        self.creds = os.path.join(tmp, 'credentials')

    def base(self, **extra):
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
               'HOME': os.path.join(self.tmp, 'home'),
               'AWS_CONFIG_FILE': self.config,
               'AWS_SHARED_CREDENTIALS_FILE': self.creds,
               'AWS_EC2_METADATA_DISABLED': 'true', 'NO_PROXY': '*',
               'AWS_ENDPOINT_URL': self.fake.url}
        env.update({k: v for k, v in extra.items() if v is not None})
        for k in [k for k, v in extra.items() if v is None]:
            env.pop(k, None)
        return env

    def files(self, config='', credentials=''):
        with open(self.config, 'w') as f:
            f.write(config)
        with open(self.creds, 'w') as f:
            f.write(credentials)


class Trap:
    """A bare listener on 127.0.0.1 and ::1 (one port) that only records
    what reaches it: the host a rejected URL must never talk to."""

    def __init__(self):
        self.socks, self.data, self.connections = [], b'', 0
        s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s4.bind(('127.0.0.1', 0))
        self.port = s4.getsockname()[1]
        self.socks.append(s4)
        try:
            s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s6.bind(('::1', self.port))
            self.socks.append(s6)
        except OSError:
            pass  # no IPv6 loopback here: curl cannot use it either
        for s in self.socks:
            s.listen(8)
            s.setblocking(False)

    def close(self):
        for s in self.socks:
            while True:
                try:
                    c, _ = s.accept()
                except OSError:
                    break
                self.connections += 1
                c.settimeout(1)
                try:
                    self.data += c.recv(65536)
                except OSError:
                    pass
                c.close()
            s.close()
        return self.data


def tool(path, env, *args):
    p = subprocess.run([path] + list(args), env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    out = json.loads(p.stdout.decode() or '{}')
    out['_rc'] = p.returncode
    out['_stderr'] = p.stderr.decode()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tool', required=True)
    a = ap.parse_args()
    T = a.tool
    tmp = tempfile.mkdtemp(prefix='xd-creds-')
    w, roles = W.build()
    fake = fake_aws.FakeAWS(w, roles).start()
    dev = fake.add_creds(W.STUDIO, 'arn:aws:iam::%s:user/dev' % W.STUDIO,
                         'static', token=False)
    tempc = fake.add_creds(W.STUDIO, 'arn:aws:sts::%s:assumed-role/r/s' % W.STUDIO,
                           'static-temp')
    E = Env(tmp, fake)
    try:
        E.files()
        # ---- the environment ----
        r = tool(T, E.base(AWS_ACCESS_KEY_ID=tempc.akid,
                           AWS_SECRET_ACCESS_KEY=tempc.secret,
                           AWS_SESSION_TOKEN=tempc.token, AWS_REGION='us-east-1'))
        check(r.get('source') == 'environment' and r.get('akid') == tempc.akid and
              r.get('secret_sha256') == sha(tempc.secret) and
              r.get('token_sha256') == sha(tempc.token),
              'environment keys with a session token')
        check(tempc.secret not in json.dumps(r) and tempc.token not in json.dumps(r),
              'the tool itself prints no secret')
        r = tool(T, E.base(AWS_ACCESS_KEY_ID=dev.akid))
        check(r['_rc'] == 3 and 'AWS_SECRET_ACCESS_KEY' in r.get('error', ''),
              'a key id without its secret is an error that says so')

        # ---- profile files ----
        E.files(config='[default]\nregion = eu-west-1\n\n'
                       '[profile cfgonly]\naws_access_key_id = %s\n'
                       'aws_secret_access_key = %s\nregion = ap-south-1\n\n'
                       '[notaprofile]\naws_access_key_id = nope\n\n'
                       '[profile both]\naws_access_key_id = FROMCONFIG\n'
                       'aws_secret_access_key = fromconfig\n'
                       '  s3 =\n    max_concurrent_requests = 4\n\n'
                       '[profile assumer]\nrole_arn = %s\nsource_profile = dev\n'
                       'role_session_name = my-session\n\n'
                       '[profile envassumer]\nrole_arn = %s\n'
                       'credential_source = Environment\n\n'
                       '[profile loop1]\nrole_arn = %s\nsource_profile = loop2\n'
                       '[profile loop2]\nrole_arn = %s\nsource_profile = loop1\n'
                       '[profile mfa]\nrole_arn = %s\nsource_profile = dev\n'
                       'mfa_serial = arn:aws:iam::1:mfa/x\n'
                       '[profile proc]\ncredential_process = /bin/echo\n'
                       '[profile withep]\nendpoint_url = http://127.0.0.1:9/\n'
                       % (dev.akid, dev.secret, W.EMR_ROLE, W.EMR_ROLE,
                          W.EMR_ROLE, W.EMR_ROLE, W.EMR_ROLE),
                credentials='# comment\n[dev]\naws_access_key_id = %s\n'
                            'aws_secret_access_key = %s\n\n'
                            '[both]\naws_access_key_id = %s\n'
                            'aws_secret_access_key = %s\n'
                            % (dev.akid, dev.secret, dev.akid, dev.secret))
        r = tool(T, E.base(AWS_PROFILE='dev'))
        check(r.get('source') == 'profile dev' and r.get('akid') == dev.akid and
              r.get('token_sha256') is None and r.get('region') is None,
              'AWS_PROFILE with keys in the credentials file (and no Region '
              'taken from [default], as in the CLI)')
        r = tool(T, E.base(AWS_PROFILE='cfgonly'))
        check(r.get('source') == 'profile cfgonly' and r.get('region') == 'ap-south-1',
              'keys and Region from "[profile cfgonly]" in the config file')
        r = tool(T, E.base(AWS_PROFILE='notaprofile'))
        check(r['_rc'] == 3 and 'notaprofile' in r.get('error', ''),
              '"[notaprofile]" in the config file is not a profile')
        r = tool(T, E.base(AWS_PROFILE='both'))
        check(r.get('akid') == dev.akid, 'the credentials file wins over the '
              'config file, and nested "s3 =" sections are skipped')
        r = tool(T, E.base(AWS_PROFILE='dev', AWS_ACCESS_KEY_ID=tempc.akid,
                           AWS_SECRET_ACCESS_KEY=tempc.secret,
                           AWS_SESSION_TOKEN=tempc.token))
        check(r.get('source') == 'environment', 'environment keys win over '
              'AWS_PROFILE (as in the CLI)')
        r = tool(T, E.base(AWS_ACCESS_KEY_ID=tempc.akid,
                           AWS_SECRET_ACCESS_KEY=tempc.secret), '--profile', 'dev')
        check(r.get('source') == 'profile dev', '--profile wins over environment keys')
        r = tool(T, E.base(), '--profile', 'nosuch')
        check(r['_rc'] == 3 and 'nosuch' in r.get('error', ''),
              'a named profile that does not exist is an error')

        # ---- role_arn ----
        n0 = fake.count('AssumeRole', status=200)
        r = tool(T, E.base(AWS_PROFILE='assumer', AWS_REGION='us-east-1'))
        assumed = fake.creds.get(r.get('akid'))
        check(assumed is not None and assumed.account == W.EMR and
              assumed.session == 'my-session' and
              r.get('source') == 'role ' + W.EMR_ROLE and
              fake.count('AssumeRole', status=200) == n0 + 1,
              'role_arn + source_profile: AssumeRole signed with the source '
              "profile's keys, role_session_name used")
        r = tool(T, E.base(AWS_REGION='us-east-1', AWS_ACCESS_KEY_ID=dev.akid,
                           AWS_SECRET_ACCESS_KEY=dev.secret),
                 '--profile', 'envassumer')
        check(fake.creds.get(r.get('akid')) is not None and
              fake.creds[r['akid']].account == W.EMR,
              'role_arn + credential_source = Environment')
        r = tool(T, E.base(AWS_PROFILE='loop1', AWS_REGION='us-east-1'))
        check(r['_rc'] == 3 and 'loop' in r.get('error', ''),
              'a source_profile loop is an error')
        r = tool(T, E.base(AWS_PROFILE='mfa'))
        check(r['_rc'] == 3 and 'mfa_serial' in r.get('error', ''),
              'mfa_serial is refused with a reason')
        r = tool(T, E.base(AWS_PROFILE='proc'))
        check(r['_rc'] == 3 and 'credential_process' in r.get('error', ''),
              'credential_process is refused with what to do instead')
        r = tool(T, E.base(AWS_ACCESS_KEY_ID=dev.akid, AWS_SECRET_ACCESS_KEY=dev.secret,
                           AWS_REGION='us-east-1'), '--assume', W.DENY_ROLE)
        check(r['_rc'] == 3 and W.DENY_ROLE in r.get('error', '') and
              'trust policy' in r.get('error', ''),
              'AccessDenied on AssumeRole names the role and the trust policy')

        # ---- container endpoint ----
        E.files()
        fake.container_token = 'container-secret-token-0123456789'
        url = fake.url + '/container-creds'
        r = tool(T, E.base(AWS_CONTAINER_CREDENTIALS_FULL_URI=url,
                           AWS_CONTAINER_AUTHORIZATION_TOKEN=fake.container_token))
        c = fake.creds.get(r.get('akid'))
        check(c is not None and c.kind == 'container' and
              r.get('source') == 'container credentials endpoint' and
              r.get('token_sha256') == sha(c.token) and r.get('expiration', 0) > 0,
              'the container endpoint (FULL_URI, token checked), with expiry')
        r = tool(T, E.base(AWS_CONTAINER_CREDENTIALS_FULL_URI=url,
                           AWS_CONTAINER_AUTHORIZATION_TOKEN='wrong'))
        check(r['_rc'] == 3 and '401' in r.get('error', ''),
              'a wrong container token: the endpoint refuses, and we say so')
        tokfile = os.path.join(tmp, 'token')
        with open(tokfile, 'w') as f:
            f.write(fake.container_token + '\n')
        r = tool(T, E.base(AWS_CONTAINER_CREDENTIALS_FULL_URI=url,
                           AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tokfile))
        check(r.get('source') == 'container credentials endpoint',
              'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE')
        # issue 13 item 1: a FULL_URI whose text before ':' looks like the
        # loopback but whose host (after 'user@') is another one. A bare
        # listener stands for that other host: it must never receive a byte,
        # let alone the token.
        trap = Trap()
        try:
            for bad in ['http://127.0.0.1:80@localhost:%d/creds' % trap.port,
                        'http://[::1]@localhost:%d/creds' % trap.port,
                        'http://169.254.170.2:80@localhost:%d/' % trap.port,
                        'http://x:y@127.0.0.1:%d/creds' % trap.port,
                        'http://localhost:%d/creds' % trap.port]:
                r = tool(T, E.base(AWS_CONTAINER_CREDENTIALS_FULL_URI=bad,
                                   AWS_CONTAINER_AUTHORIZATION_TOKEN=fake.container_token))
                check(r['_rc'] == 3 and 'FULL_URI' in r.get('error', '') and
                      fake.container_token not in json.dumps(r),
                      'FULL_URI %s is refused before any connection' % bad)
        finally:
            got = trap.close()
        check(got == b'' and trap.connections == 0,
              'the listener behind user@ never saw a connection (%d, %r)'
              % (trap.connections, got[:80]))
        fake.container_token = None

        # ---- IMDSv2 ----
        hits = fake.imds_hits
        r = tool(T, E.base(AWS_EC2_METADATA_DISABLED=None,
                           AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.url + '/'))
        c = fake.creds.get(r.get('akid'))
        check(c is not None and c.kind == 'imds' and fake.imds_tokens and
              fake.imds_hits == hits + 3 and
              r.get('source') == 'instance metadata (IMDSv2)',
              'IMDSv2: a PUT token, then the role, then its credentials')
        r = tool(T, E.base())
        check(r['_rc'] == 3 and 'no AWS credentials' in r.get('error', '') and
              'AWS_EC2_METADATA_DISABLED' in r.get('error', ''),
              'nothing configured and IMDS disabled: no credentials, said clearly')

        # ---- Region ----
        E.files(config='[default]\nregion = eu-central-1\n')
        r = tool(T, E.base(), '--endpoints-only')
        check(r.get('region') == 'eu-central-1', 'Region from the profile')
        r = tool(T, E.base(AWS_DEFAULT_REGION='eu-west-2'), '--endpoints-only')
        check(r.get('region') == 'eu-west-2', 'AWS_DEFAULT_REGION over the profile')
        r = tool(T, E.base(AWS_DEFAULT_REGION='eu-west-2', AWS_REGION='eu-west-3'),
                 '--endpoints-only')
        check(r.get('region') == 'eu-west-3', 'AWS_REGION over AWS_DEFAULT_REGION')
        r = tool(T, E.base(AWS_REGION='eu-west-3'), '--endpoints-only',
                 '--region', 'sa-east-1')
        check(r.get('region') == 'sa-east-1', '--region over everything')

        # ---- endpoints ----
        E.files()
        env = E.base(AWS_REGION='eu-west-1', AWS_ENDPOINT_URL=None)
        r = tool(T, env, '--endpoints-only')
        want = {'ec2': ['https://ec2.eu-west-1.amazonaws.com', 'eu-west-1'],
                'emr': ['https://elasticmapreduce.eu-west-1.amazonaws.com', 'eu-west-1'],
                'sagemaker': ['https://api.sagemaker.eu-west-1.amazonaws.com', 'eu-west-1'],
                'sts': ['https://sts.eu-west-1.amazonaws.com', 'eu-west-1'],
                'iam': ['https://iam.amazonaws.com', 'us-east-1']}
        check(r.get('endpoints') == want, 'regional defaults; IAM global, '
              'signed for us-east-1 (%s)' % r.get('endpoints'))
        r = tool(T, E.base(AWS_REGION='cn-north-1', AWS_ENDPOINT_URL=None),
                 '--endpoints-only')
        check(r.get('endpoints', {}).get('ec2') ==
              ['https://ec2.cn-north-1.amazonaws.com.cn', 'cn-north-1'] and
              r['endpoints']['iam'] == ['https://iam.cn-north-1.amazonaws.com.cn',
                                        'cn-north-1'],
              'the China partition')
        r = tool(T, E.base(AWS_REGION='eu-west-1', AWS_ENDPOINT_URL='http://127.0.0.1:1/',
                           AWS_ENDPOINT_URL_EMR='http://127.0.0.1:2/emr',
                           AWS_ENDPOINT_URL_IAM='http://127.0.0.1:3'),
                 '--endpoints-only')
        e = r.get('endpoints', {})
        check(e.get('emr') == ['http://127.0.0.1:2/emr', 'eu-west-1'] and
              e.get('iam') == ['http://127.0.0.1:3', 'us-east-1'] and
              e.get('ec2') == ['http://127.0.0.1:1', 'eu-west-1'],
              'AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL')
        r = tool(T, E.base(AWS_REGION='eu-west-1', AWS_ENDPOINT_URL_EMR='http://127.0.0.1:2'),
                 '--endpoints-only', '--endpoint-url', 'https://127.0.0.1:4')
        check(set(tuple(v) for v in r.get('endpoints', {}).values()) <=
              {('https://127.0.0.1:4', 'eu-west-1'), ('https://127.0.0.1:4', 'us-east-1')},
              '--endpoint-url over the environment, for every service')
        r = tool(T, E.base(AWS_REGION='eu-west-1', AWS_ENDPOINT_URL='http://127.0.0.1:1',
                           AWS_IGNORE_CONFIGURED_ENDPOINT_URLS='true'), '--endpoints-only')
        check(r.get('endpoints', {}).get('ec2') ==
              ['https://ec2.eu-west-1.amazonaws.com', 'eu-west-1'],
              'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true')
        E.files(config='[profile withep]\nendpoint_url = http://127.0.0.1:9/\n')
        r = tool(T, E.base(AWS_REGION='eu-west-1', AWS_PROFILE='withep',
                           AWS_ENDPOINT_URL=None), '--endpoints-only')
        check(r.get('endpoints', {}).get('sts') == ['http://127.0.0.1:9', 'eu-west-1'],
              "the profile's endpoint_url")
        r = tool(T, E.base(AWS_REGION='eu-west-1', AWS_ENDPOINT_URL='ftp://x'),
                 '--endpoints-only')
        check(r['_rc'] == 3 and 'AWS_ENDPOINT_URL' in r.get('error', ''),
              'a URL that is not http(s) is refused, naming where it came from')
        r = tool(T, E.base(), '--endpoints-only', '--endpoint-url', 'file:///etc')
        check(r['_rc'] == 3 and '--endpoint-url' in r.get('error', ''),
              '--endpoint-url must be http(s)')
        check(fake.signature_failures == 0, 'every signature verified by botocore')
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == '__main__':
    sys.exit(main())
