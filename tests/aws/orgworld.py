"""An organisation for the loopback AWS (issue 20): the Studio account of
world.py and N EMR accounts, each with its VPC (two subnets, a route table,
the EMR groups, a network ACL), a peering to the Studio VPC (routes both
ways, DNS resolution from Studio's side), a cluster with its primary and
core instances, the discovery role and the xacct-doctor-read role holding
docs/iam/xacct-doctor-read-policy.json, both trusted by the Studio account.

An account in `failing` is one `fetch` cannot read: its read role trusts
another account, so AssumeRole of it is refused (AccessDenied), as with a
read role nobody finished setting up. `intent()` is the xacct-doctor.json
that names every account, its cluster and both roles.

    w, roles = orgworld.build(20, failing={21})
"""
import copy

import world as W
import world_network

FIRST = 400000000001        # account ids 400000000001, 400000000002, ...
MAX_ACCOUNTS = 240          # one 10.X.0.0/16 each, clear of Studio's 10.0/10.9


def account(i):
    return '%012d' % (FIRST + i - 1)


def ids(i):
    """The ids of EMR account i (1-based): real shapes (17 hex digits)."""
    return {'vpc': 'vpc-0e%015x' % i, 'pcx': 'pcx-0f%015x' % i,
            'subnet': 'subnet-0e%015x' % (i * 2), 'subnet2': 'subnet-0e%015x' % (i * 2 + 1),
            'rtb': 'rtb-0e%015x' % i, 'acl': 'acl-0e%015x' % i,
            'master': 'sg-0a%015x' % i, 'slave': 'sg-0c%015x' % i,
            'eni': 'eni-0e%015x' % (i * 2), 'eni2': 'eni-0e%015x' % (i * 2 + 1),
            'cluster': 'j-ORG%010d' % i, 'dopt': 'dopt-0e%015x' % i,
            'net': '10.%d' % (10 + i)}


def discovery_role(i):
    return 'arn:aws:iam::%s:role/emr-discovery-role' % account(i)


def read_role(i):
    return 'arn:aws:iam::%s:role/xacct-doctor-read' % account(i)


def _emr_account(i, fail):
    a, x = account(i), ids(i)
    net = x['net']
    studio_subnets = ['10.0.20.0/24', '10.0.21.0/24']
    peering = copy.deepcopy(W.PEERING)
    peering['VpcPeeringConnectionId'] = x['pcx']
    peering['AccepterVpcInfo'] = W._pcx_side(net + '.0.0/16', a, x['vpc'], True)
    peering['Tags'] = W._tags('studio-to-org-%d' % i)
    master_ip = net + '.1.10'
    dns = 'ip-%s.ec2.internal' % master_ip.replace('.', '-')
    cluster = W._cluster(x['cluster'], 'WAITING', x['subnet'], dns, None)
    cluster['ClusterArn'] = 'arn:aws:elasticmapreduce:%s:%s:cluster/%s' % (
        W.REGION, a, x['cluster'])
    cluster['Ec2InstanceAttributes'].update({
        'EmrManagedMasterSecurityGroup': x['master'],
        'EmrManagedSlaveSecurityGroup': x['slave'],
        'AdditionalMasterSecurityGroups': []})
    trust = W._policy([{'Effect': 'Allow', 'Principal': {
        'AWS': 'arn:aws:iam::%s:root' % W.STUDIO}, 'Action': 'sts:AssumeRole'}])
    # a read role set up for the wrong account: AssumeRole is refused
    bad_trust = W._policy([{'Effect': 'Allow', 'Principal': {
        'AWS': 'arn:aws:iam::999999999999:root'}, 'Action': 'sts:AssumeRole'}])
    acct = {
        'Vpcs': [W._vpc(x['vpc'], net + '.0.0/16', a, 'emr-%d' % i)],
        'Subnets': [W._subnet(x['subnet'], x['vpc'], net + '.1.0/24', a,
                              'us-east-1a', 200),
                    W._subnet(x['subnet2'], x['vpc'], net + '.2.0/24', a,
                              'us-east-1b', 251)],
        'RouteTables': [W._rt(x['rtb'], x['vpc'], a, True, [x['subnet']],
                              [W._route(net + '.0.0/16', GatewayId='local')] +
                              [W._route(c, VpcPeeringConnectionId=x['pcx'])
                               for c in studio_subnets])],
        'SecurityGroups': [
            W._sg(x['master'], x['vpc'], a, 'ElasticMapReduce-master',
                  [W._perm('tcp', 8998, 8998,
                           groups=['%s/sg-057bd100000000001' % W.STUDIO]),
                   W._perm('tcp', 10000, 10000, cidrs=studio_subnets)],
                  [W._perm('-1', 0, 0, cidrs=['0.0.0.0/0'])]),
            W._sg(x['slave'], x['vpc'], a, 'ElasticMapReduce-slave', [],
                  [W._perm('-1', 0, 0, cidrs=['0.0.0.0/0'])])],
        'NetworkAcls': [W._acl(x['acl'], x['vpc'], a, [x['subnet'], x['subnet2']],
                               True)],
        'VpcPeeringConnections': [peering],
        'NetworkInterfaces': [
            W._eni(x['eni'], x['vpc'], x['subnet'], a, master_ip, [x['master']],
                   'primary'),
            W._eni(x['eni2'], x['vpc'], x['subnet'], a, net + '.1.11', [x['slave']],
                   'core')],
        'PrefixLists': [], 'PrefixListEntries': {},
        'VpcAttributes': {x['vpc']: {'enableDnsSupport': True,
                                     'enableDnsHostnames': True}},
        'Clusters': {x['cluster']: cluster},
        'Instances': {x['cluster']: [
            W._instance('%017x' % (i * 16 + 1), master_ip, 'ig-master'),
            W._instance('%017x' % (i * 16 + 2), net + '.1.11', 'ig-core')]},
        'IAM': {'UserDetailList': [], 'GroupDetailList': [], 'Policies': [],
                'RoleDetailList': [
                    W._role('emr-discovery-role', a, trust, inline=[
                        ('emr-read', W.discovery_policy(W.REGION, a))]),
                    W._role('xacct-doctor-read', a, bad_trust if fail else trust,
                            inline=[('read', W.read_policy())])]},
    }
    world_network.add_emr_side(acct, W.REGION, x['vpc'], x['dopt'])
    return acct, peering


def build(n, failing=()):
    """The world (as world.build) with N EMR accounts beside the Studio
    one; the accounts numbered in failing (1-based) cannot be read."""
    if not 0 < n <= MAX_ACCOUNTS:
        raise ValueError('orgworld: 1 to %d EMR accounts' % MAX_ACCOUNTS)
    w, roles = W.build(read_role=True)
    studio = w[W.STUDIO]
    rtb = studio['RouteTables'][0]      # the Studio subnets' table
    for i in range(1, n + 1):
        acct, peering = _emr_account(i, i in failing)
        w[account(i)] = acct
        studio['VpcPeeringConnections'].append(peering)
        rtb['Routes'].append(W._route(ids(i)['net'] + '.1.0/24',
                                      VpcPeeringConnectionId=ids(i)['pcx']))
        roles[discovery_role(i)] = {'account': account(i), 'deny': None}
    return w, roles


def intent(n, ports=(8998,)):
    """xacct-doctor.json naming the Studio domain and every EMR account."""
    return {'studio': {'account': W.STUDIO, 'region': W.REGION,
                       'domain_id': W.DOMAIN},
            'emr': [{'account': account(i), 'region': W.REGION,
                     'cluster_id': ids(i)['cluster'],
                     'role_arn': discovery_role(i),
                     'read_role_arn': read_role(i)} for i in range(1, n + 1)],
            'ports': list(ports)}


def files(i):
    """The files fetch writes for a readable EMR account i (relative to
    the snapshot)."""
    a, x = account(i), ids(i)
    d = '%s/%s/' % (a, W.REGION)
    names = ['ec2-describe-vpcs', 'ec2-describe-subnets',
             'ec2-describe-route-tables', 'ec2-describe-security-groups',
             'ec2-describe-network-acls', 'ec2-describe-vpc-peering-connections',
             'ec2-describe-network-interfaces', 'ec2-describe-managed-prefix-lists',
             'ec2-describe-vpc-endpoints', 'ec2-describe-dhcp-options',
             'route53resolver-list-resolver-rules',
             'route53resolver-list-resolver-rule-associations',
             'ec2-describe-vpc-attribute--%s--enableDnsSupport' % x['vpc'],
             'ec2-describe-vpc-attribute--%s--enableDnsHostnames' % x['vpc'],
             'emr-describe-cluster--%s' % x['cluster'],
             'emr-list-instances--%s' % x['cluster']]
    return {d + n + '.json' for n in names} | \
        {'%s/iam-get-account-authorization-details.json' % a}
