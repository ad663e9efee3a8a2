#!/usr/bin/python3
"""Snapshots poisoned with shell payloads, against the real program.

    poison.py --bin XACCT_DOCTOR --source SRC [--keep]

People paste the "fix:" lines of a report into a shell, and the snapshot
they came from may be anyone's JSON. Every fixture and example (the
analyzer corpus, the cross-check cases, examples/) is copied and poisoned
two ways:

  - free text (cluster and domain names, tags, descriptions, group names,
    state messages) and IAM role paths, which IAM allows to hold $ ( ) ` ;
    | & ' and ", get values made of shell payloads ($(...), backquotes, ;,
    quotes, newlines, |, &, leading '-'). The program must analyze it (exit
    0, 1 or 2). Every remediation it prints, in every format (JSON, text,
    the HTML copy block, JUnit; Prometheus prints none and must stay
    well-formed), must be the same bytes, and is run with /bin/sh -c where
    PATH holds only recording stubs: `aws` (and `mkdir`, `mv` for the role
    file's move) and the canary `xdcanary`. The canary must never run, no
    other command may be looked up, and each poisoned value that reaches a
    program must arrive as (inside) one argument, unchanged. Each word is
    quoted as Python's shlex.quote quotes it. The text report holds no
    control character but newlines (a value's print as '?'), the HTML no
    markup and no control character from the values (they are escaped).
  - identifiers (ids of groups, tables, ACLs, peerings, VPCs, subnets,
    interfaces, prefix lists, clusters, domains, instances, accounts, IAM
    role names and ARNs; the intent's ids) get a payload appended: exit
    status 3, an error naming the file and the field, no output file.
"""
import argparse
import glob
import html
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PAYLOADS = [
    '$(xdcanary 1)', '`xdcanary 2`', '; xdcanary 3', '| xdcanary 4',
    '& xdcanary 5', '\n xdcanary 6', "' ; xdcanary 7 ; '",
    '" ; xdcanary 8 ; "', '\'"$(xdcanary 9)"\'', '&& xdcanary 10 #',
    '-x; xdcanary 11', '<script>alert(1)</script>\x1b[2J; xdcanary 12',
    '$HOME ~ * ? [a] {a,b} \\ xdcanary 13', "'\\''; xdcanary 14",
]
# for a state message, which reports quote: what a terminal would obey
CONTROL_PAYLOAD = '\x1b]0;pwned\x07\x1b[2J\r\n$(xdcanary 15)\x7f'
# what IAM accepts in a path: printable, no space
PATH_PAYLOAD = "/XDV999$(xdcanary)`xdcanary`;xdcanary|xdcanary&xdcanary'\"/"
MARK = re.compile(r'XDV\d{3}')
FREE_KEYS = {'Name', 'Message', 'DomainName', 'GroupName', 'Description',
             'PrefixListName'}
# (file pattern, key): identifiers whose wrong shape must be refused
ID_SPECS = [
    ('ec2-describe-vpcs.json', 'VpcId'),
    ('ec2-describe-security-groups.json', 'GroupId'),
    ('ec2-describe-route-tables.json', 'RouteTableId'),
    ('ec2-describe-network-acls.json', 'NetworkAclId'),
    ('ec2-describe-vpc-peering-connections.json', 'VpcPeeringConnectionId'),
    ('ec2-describe-subnets.json', 'SubnetId'),
    ('emr-describe-cluster--*.json', 'Id'),
    ('emr-describe-cluster--*.json', 'EmrManagedMasterSecurityGroup'),
    ('emr-list-instances--*.json', 'Ec2InstanceId'),
    ('iam-get-account-authorization-details.json', 'RoleName'),
    ('iam-get-account-authorization-details.json', 'Arn'),
    ('iam-get-account-authorization-details.json', 'Path'),
    ('sagemaker-describe-domain--*.json', 'DomainId'),
    ('sagemaker-describe-domain--*.json', 'ExecutionRole'),
    ('ec2-describe-network-interfaces.json', 'NetworkInterfaceId'),
    ('ec2-describe-managed-prefix-lists.json', 'PrefixListId'),
    ('ec2-describe-vpcs.json', 'OwnerId'),
    ('ec2-describe-route-tables.json', 'VpcPeeringConnectionId'),
    ('ec2-describe-dhcp-options.json', 'DhcpOptionsId'),
    ('route53resolver-list-resolver-rules.json', 'Id'),
    ('route53resolver-list-resolver-rule-associations.json', 'VPCId'),
]
INTENT_IDS = [('studio', 'vpc_id'), ('emr', 'cluster_id'), ('emr', 'role_arn'),
              ('studio', 'subnet_ids'), ('studio', 'region'),
              ('studio', 'security_group_ids'), ('studio', 'domain_id')]
FORMATS = ['json', 'text', 'html', 'junit', 'prometheus']
RECORDER = '#!/bin/sh\nprintf \'%s\\0\' "$0" "$@" > "$XD_LOG/rec.$$"\n'
CANARY = '#!/bin/sh\nprintf \'%s\\0\' "$0" "$@" > "$XD_LOG/CANARY.$$"\n'

failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL ' + msg)


# ---- the corpus -------------------------------------------------------------

def bases(src):
    """(name, snapshot folder, observation files) for every fixture and
    example."""
    out = []
    for d in sorted(glob.glob(os.path.join(src, 'examples', '*', ''))):
        out.append(('examples/' + os.path.basename(d[:-1]), d[:-1], []))
    for d in sorted(glob.glob(os.path.join(src, 'tests/fixtures/analyzer/*/'))):
        out.append(('analyzer/' + os.path.basename(d[:-1]), d[:-1], []))
    for d in sorted(glob.glob(os.path.join(src, 'tests/fixtures/crosscheck/*/'))):
        obs = sorted(glob.glob(os.path.join(d, '*observations*.json')))
        out.append(('crosscheck/' + os.path.basename(d[:-1]),
                    os.path.join(d, 'snapshot'), obs))
    return out


def json_files(root):
    for dp, _, fns in os.walk(root):
        for fn in sorted(fns):
            if fn.endswith('.json'):
                yield os.path.join(dp, fn)


def load(p):
    """The JSON of p, or None when it is not JSON (a broken role file is a
    fixture of its own)."""
    with open(p, encoding='utf-8') as f:
        try:
            return json.load(f)
        except ValueError:
            return None


def save(p, j):
    with open(p, 'w', encoding='utf-8') as f:
        json.dump(j, f, indent=1)


# ---- poisoning --------------------------------------------------------------

class Values:
    """The poisoned values handed out, by marker."""

    def __init__(self):
        self.by_mark = {PATH_PAYLOAD[1:7]: PATH_PAYLOAD}

    def new(self, payload=None):
        n = len(self.by_mark)
        payload = payload or PAYLOADS[n % len(PAYLOADS)]
        mark = 'XDV%03d' % n
        # half lead with the payload (one starts with '-')
        v = payload + ' ' + mark if n % 2 else mark + ' ' + payload
        self.by_mark[mark] = v
        return v


def poison_free(node, vals, parent=None):
    if isinstance(node, dict):
        for k in list(node):
            v = node[k]
            if k == 'Tags' and isinstance(v, list):
                for t in v:
                    if isinstance(t, dict) and 'Value' in t:
                        t['Value'] = vals.new()
            elif k in FREE_KEYS and isinstance(v, str) and v and \
                    not (k == 'Name' and parent == 'Applications'):
                node[k] = vals.new(CONTROL_PAYLOAD if k == 'Message' else None)
            else:
                poison_free(v, vals, k)
    elif isinstance(node, list):
        for x in node:
            poison_free(x, vals, parent)


def replace_strings(node, old, new):
    if isinstance(node, dict):
        return {k: replace_strings(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [replace_strings(x, old, new) for x in node]
    if isinstance(node, str):
        return node.replace(old, new)
    return node


def poison_role_paths(root, intent):
    """Give every role a path IAM accepts but a shell would run, and carry
    its new ARN into every file that names it."""
    renames = {}
    for p in json_files(root):
        if p.endswith('iam-get-account-authorization-details.json'):
            j = load(p)
            for r in j.get('RoleDetailList', []):
                old = r.get('Arn')
                if not old or ':role/' not in old:
                    continue
                name = r.get('RoleName') or old.rsplit('/', 1)[1]
                new = old.split(':role/')[0] + ':role' + PATH_PAYLOAD + name
                renames[old] = new
    files = list(json_files(root)) + ([intent] if intent else [])
    for p in set(files):
        j = load(p)
        if j is None:
            continue
        for old, new in renames.items():
            j = replace_strings(j, old, new)
        for r in (j.get('RoleDetailList', []) if isinstance(j, dict) else []):
            if r.get('Arn') in renames.values():
                r['Path'] = PATH_PAYLOAD
        save(p, j)
    return len(renames)


def free_text_variant(snap, tmp, vals):
    dst = os.path.join(tmp, 'free')
    shutil.copytree(snap, dst)
    intent = os.path.join(dst, 'xacct-doctor.json')
    for p in json_files(dst):
        j = load(p)
        if p == intent or j is None:
            continue
        poison_free(j, vals)
        save(p, j)
    poison_role_paths(dst, intent if os.path.exists(intent) else None)
    if os.path.exists(intent):
        j = load(intent)
        st = j.get('studio') if isinstance(j, dict) else None
        if isinstance(st, dict) and 'role_arns_file' in st:
            st['role_arns_file'] = '/home/sagemaker-user/' + vals.new() + '.json'
        save(intent, j)
    return dst


def first_key(node, key):
    """The container and index/key of the first string value at key."""
    if isinstance(node, dict):
        v = node.get(key)
        if isinstance(v, str) and v:
            return node, key
        if isinstance(v, list) and v and isinstance(v[0], str):
            return v, 0
        for x in node.values():
            r = first_key(x, key)
            if r:
                return r
    elif isinstance(node, list):
        for x in node:
            r = first_key(x, key)
            if r:
                return r
    return None


def id_variant(snap, tmp, spec, payload, tag):
    """A copy with the first value at spec poisoned; (folder, file) or
    None when the snapshot has no such value."""
    pat, key = spec
    cands = [p for p in json_files(snap)
             if glob.fnmatch.fnmatch(os.path.basename(p), pat)]
    for p in cands:
        if load(p) is not None and first_key(load(p), key):
            break
    else:
        return None
    dst = os.path.join(tmp, 'id-' + tag)
    shutil.copytree(snap, dst)
    q = os.path.join(dst, os.path.relpath(p, snap))
    j = load(q)
    holder, k = first_key(j, key)
    holder[k] = holder[k] + (' x' if key == 'Path' else payload)
    save(q, j)
    return dst, os.path.relpath(p, snap)


# ---- running ----------------------------------------------------------------

def run(cmd, env=None, timeout=60):
    e = dict(os.environ, NO_COLOR='1')
    e.update(env or {})
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=timeout, env=e)


def analyze(binary, snap, obs, fmt, out=None):
    cmd = [binary, '--format', fmt, 'analyze', '--snapshot', snap]
    for o in obs:
        cmd += ['--observations', o]
    if out:
        cmd += ['--output', out]
    return run(cmd)


def fixes_text(s):
    lines = s.split('\n')
    return [lines[i + 1][6:] for i, l in enumerate(lines[:-1])
            if l == '    fix:']


def fixes_html(s):
    return [html.unescape(m) for m in
            re.findall(r'<pre class="fix"><code>(.*?)</code></pre>', s, re.S)]


def fixes_junit(s):
    out = []
    for el in ET.fromstring(s).iter():
        if el.tag in ('failure', 'system-out') and el.text:
            out += [l[7:] for l in el.text.split('\n') if l.startswith('  fix: ')]
    return out


def check_prometheus(name, s):
    line_re = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*='
                         r'"([^"\\\n]|\\[\\"n])*",?)*\})? [-+0-9.eE]+(\.[0-9]+)?$')
    for l in s.split('\n'):
        if l and not l.startswith('#') and not line_re.match(l):
            fail('%s: prometheus line not well-formed: %r' % (name, l[:200]))
            return


def setup_stubs(tmp):
    d = os.path.join(tmp, 'stubs')
    os.mkdir(d)
    for prog, body in (('aws', RECORDER), ('mkdir', RECORDER),
                       ('mv', RECORDER), ('xdcanary', CANARY)):
        p = os.path.join(d, prog)
        with open(p, 'w') as f:
            f.write(body)
        os.chmod(p, stat.S_IRWXU)
    return d


def execute(name, line, stubs, work, vals, stats):
    """Run one remediation as a pasted line; check what reached programs."""
    log = tempfile.mkdtemp(dir=work)
    r = subprocess.run(['/bin/sh', '-c', line], cwd=log, timeout=30,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL,
                       env={'PATH': stubs, 'XD_LOG': log, 'HOME': log})
    err = r.stderr.decode('utf-8', 'replace')
    recs = []
    for fn in sorted(os.listdir(log)):
        with open(os.path.join(log, fn), 'rb') as f:
            argv = f.read().decode('utf-8', 'replace').split('\0')[:-1]
        if fn.startswith('CANARY'):
            fail('%s: the canary ran (%r) from: %s' % (name, argv, line))
        elif fn.startswith('rec.'):
            recs.append(argv)
    for m in re.finditer(r'(\S+): not found', err):
        if m.group(1) != 'xacct-doctor':
            fail('%s: the shell looked up %r: %s' % (name, m.group(1), line))
    if 'Syntax error' in err or 'unexpected' in err:
        fail('%s: the shell could not parse: %s (%s)' % (name, line, err))
    writes_role_file = ' > /home/sagemaker-user/' in line or \
        " > '/home/sagemaker-user/" in line
    if r.returncode and not (writes_role_file and 'cannot create' in err) \
            and 'xacct-doctor: not found' not in err:
        fail('%s: exit %d from: %s (%s)' % (name, r.returncode, line, err))
    seen = set()
    for argv in recs:
        prog = os.path.basename(argv[0])
        stats['invocations'][prog] = stats['invocations'].get(prog, 0) + 1
        for i, a in enumerate(argv[1:], 1):
            # a policy document is JSON whatever the poisoned ARN in it
            if argv[i - 1].endswith('policy-document') and \
                    not a.startswith('file://'):
                try:
                    json.loads(a)
                except ValueError as e:
                    fail('%s: %s got a policy document that is not JSON '
                         '(%s): %r' % (name, argv[i - 1], e, a))
            for mark in set(MARK.findall(a)):
                v = vals.by_mark.get(mark)
                if v is None or (v not in a and json.dumps(v)[1:-1] not in a):
                    fail('%s: %s reached %s cut or changed: %r (from %s)' %
                         (name, mark, prog, a, line))
                else:
                    seen.add(mark)
                    stats['reached'] += 1
                    if argv[argv.index(a) - 1] == '--name' and a == v:
                        stats['names'] += 1
    # every value the line carries to a program arrived there
    if not writes_role_file:
        for mark in set(MARK.findall(line)) - seen:
            fail('%s: %s is in the command but reached no program: %s' %
                 (name, mark, line))


def check_quoting(name, line, vals):
    """shlex reads the line back into words; a word holding a poisoned
    value is quoted as shlex.quote quotes it."""
    try:
        words = shlex.split(line)
    except ValueError as e:
        fail('%s: shlex can not read %r: %s' % (name, line, e))
        return
    for w in words:
        for mark in set(MARK.findall(w)):
            v = vals.by_mark.get(mark)
            if v not in w and json.dumps(v)[1:-1] not in w:
                fail('%s: word %r holds %s changed' % (name, w, mark))
            want = shlex.quote(w).replace("'\"'\"'", "'\\''")
            if want not in line:
                fail('%s: word %r is not quoted as shlex.quote does (%s) in: %s'
                     % (name, w, want, line))


def free_text_case(binary, name, snap, obs, tmp, stubs, stats):
    vals = Values()
    dst = free_text_variant(snap, tmp, vals)
    fixes = {}
    for fmt in FORMATS:
        r = analyze(binary, dst, obs, fmt)
        out = r.stdout.decode('utf-8', 'replace')
        if r.returncode not in (0, 1, 2):
            fail('%s: poisoned free text: exit %d in %s: %s' %
                 (name, r.returncode, fmt, r.stderr.decode()[:400]))
            return
        if fmt == 'json':
            res = json.loads(out)
            shown = ' '.join([f.get('message', '') for f in res['findings']] +
                             [e for f in res['findings']
                              for e in f.get('evidence', [])])
            fixes[fmt] = [f['remediation'] for f in res['findings']
                          if f.get('remediation')]
            stats['refused'] += sum(
                1 for f in res['findings'] for e in f.get('evidence', [])
                if e.startswith('no fix command is given: '))
        elif fmt == 'text':
            fixes[fmt] = fixes_text(out)
            bad = [c for c in set(out) if (ord(c) < 0x20 and c != '\n') or
                   ord(c) == 0x7f]
            if bad:
                fail('%s: text report holds control characters %r' % (name, bad))
            # a control character a value holds prints as '?'
            for mark in set(MARK.findall(shown)):
                v = vals.by_mark[mark]
                q = re.sub(r'[\x00-\x1f\x7f]', '?', v)
                if q != v:
                    stats['controls'] += 1
                    if q not in out:
                        fail('%s: text does not show %r as %r' % (name, v, q))
        elif fmt == 'html':
            fixes[fmt] = fixes_html(out)
            if '<script>' in out or re.search(r'[\x00-\x08\x0b-\x1f\x7f]', out):
                fail('%s: the HTML report holds markup or control characters '
                     'from the snapshot' % name)
            # shown escaped, a control character as U+FFFD
            for mark in set(MARK.findall(shown)):
                v = re.sub(r'[\x00-\x09\x0b-\x1f\x7f]', '\ufffd',
                           vals.by_mark[mark]).split('\n')[0]
                if html.escape(v) not in out.replace('&#39;', '&#x27;'):
                    fail('%s: the HTML report does not show %s escaped' %
                         (name, mark))
        elif fmt == 'junit':
            fixes[fmt] = fixes_junit(out)
        else:
            check_prometheus(name, out)
            if 'create-cluster' in out or 'aws ' in out:
                fail('%s: prometheus prints a command' % name)
    # JUnit shows a finding under each path it stops, too
    for fmt in ('text', 'html', 'junit'):
        if set(fixes[fmt]) != set(fixes['json']) or \
                (fmt != 'junit' and sorted(fixes[fmt]) != sorted(fixes['json'])):
            fail('%s: %s prints other fixes than json: %r vs %r' %
                 (name, fmt, fixes[fmt], fixes['json']))
    for line in sorted(set(fixes['json'])):
        stats['commands'] += 1
        check_quoting(name, line, vals)
        execute(name, line, stubs, tmp, vals, stats)


def expect_refused(binary, name, snap, obs, tmp, rel, field):
    out = os.path.join(tmp, 'out.json')
    r = analyze(binary, snap, obs, 'json', out)
    err = r.stderr.decode('utf-8', 'replace')
    if r.returncode != 3:
        fail('%s: %s %s poisoned: exit %d, want 3 (%s)' %
             (name, rel, field, r.returncode, err[:300]))
    elif rel not in err or not re.search(r'\b%s(\[\d+\])?: ' % re.escape(field),
                                         err):
        fail('%s: the error does not name %s and %s: %s' %
             (name, rel, field, err[:400]))
    if os.path.exists(out):
        fail('%s: output written despite the error' % name)
    if '\n' in err.rstrip('\n'):
        fail('%s: the error is not one line: %r' % (name, err))


def id_cases(binary, name, snap, obs, tmp, which):
    n = 0
    for i, spec in enumerate(ID_SPECS):
        if which is not None and i % len(ID_SPECS) != which:
            continue
        v = id_variant(snap, tmp, spec, PAYLOADS[i % len(PAYLOADS)], str(i))
        if not v:
            continue
        dst, rel = v
        expect_refused(binary, name, dst, obs, tmp, rel, spec[1])
        shutil.rmtree(dst)
        n += 1
    return n


def intent_case(binary, name, snap, obs, tmp, k):
    dst = os.path.join(tmp, 'intent')
    shutil.copytree(snap, dst)
    p = os.path.join(dst, 'xacct-doctor.json')
    j = load(p) if os.path.exists(p) else {}
    side, key = INTENT_IDS[k % len(INTENT_IDS)]
    bad = 'x' + PAYLOADS[k % len(PAYLOADS)]
    if side == 'studio':
        j.setdefault('studio', {})[key] = [bad] if key.endswith('_ids') else bad
    else:
        emr = j.setdefault('emr', [{}]) or [{}]
        j['emr'] = emr
        emr[0][key] = bad
    save(p, j)
    expect_refused(binary, name, dst, obs, tmp, 'xacct-doctor.json', key)
    shutil.rmtree(dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('--keep', action='store_true')
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    top = tempfile.mkdtemp(prefix='xd-poison-')
    stats = {'commands': 0, 'reached': 0, 'names': 0, 'refused': 0,
             'controls': 0,
             'invocations': {}}
    ids = 0
    try:
        stubs = setup_stubs(top)
        for k, (name, snap, obs) in enumerate(bases(a.source)):
            tmp = tempfile.mkdtemp(dir=top)
            free_text_case(binary, name, snap, obs, tmp, stubs, stats)
            every = name.startswith('examples/')
            ids += id_cases(binary, name, snap, obs, tmp,
                            None if every else k % len(ID_SPECS))
            intent_case(binary, name, snap, obs, tmp, k)
            if not a.keep:
                shutil.rmtree(tmp)
    finally:
        if not a.keep:
            shutil.rmtree(top, ignore_errors=True)
        else:
            print('kept ' + top)
    print('%d commands run, %d poisoned values reached a program intact '
          '(%d as a cluster name), %d fixes left out with a reason, '
          'programs run: %s; %d values with control characters shown as ?; '
          '%d poisoned ids refused' %
          (stats['commands'], stats['reached'], stats['names'],
           stats['refused'], stats['invocations'], stats['controls'], ids))
    # the test is not vacuous: values did reach aws, and commands ran
    if not stats['reached'] or not stats['names'] or \
            not stats['controls'] or not stats['invocations'].get('aws'):
        fail('no poisoned value reached aws: the test proves nothing')
    print('%d failed' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
