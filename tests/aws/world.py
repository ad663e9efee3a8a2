"""The accounts the loopback AWS of the tests answers for.

A Studio account (111111111111) with a SageMaker domain in a VPC peered to
an EMR account (222222222222) that runs two clusters; a third account
(333333333333) whose role refuses to be assumed. Data is written in the
shape the AWS CLI prints; the endpoint turns it into each service's wire
format. Several lists are longer than a page on purpose.
"""

import json
import os

import world_network

STUDIO = '111111111111'
EMR = '222222222222'
DENY = '333333333333'
REGION = 'us-east-1'

STUDIO_VPC = 'vpc-0a1b2c3d4e5f60001'
EMR_VPC = 'vpc-0e1e2e3e4e5e60002'
PCX = 'pcx-0123456789abcdef0'
DOMAIN = 'd-studio0000001'
EMR_ROLE = 'arn:aws:iam::%s:role/emr-discovery-role' % EMR
DENY_ROLE = 'arn:aws:iam::%s:role/NoTrustYet' % DENY
STUDIO_EXEC_ROLE = 'arn:aws:iam::%s:role/StudioExecutionRole' % STUDIO
CLUSTERS = ['j-1ABCDEFGHIJK1', 'j-2ABCDEFGHIJK2']
PL = 'pl-0f00d00d00d00d001'


def _tags(name):
    return [{'Key': 'Name', 'Value': name}]


def _vpc(vid, cidr, owner, name, default=False):
    return {'CidrBlock': cidr, 'DhcpOptionsId': 'dopt-0abc0000',
            'State': 'available', 'VpcId': vid, 'OwnerId': owner,
            'InstanceTenancy': 'default',
            'CidrBlockAssociationSet': [{
                'AssociationId': 'vpc-cidr-assoc-' + vid[4:],
                'CidrBlock': cidr,
                'CidrBlockState': {'State': 'associated'}}],
            'IsDefault': default, 'Tags': _tags(name)}


def _subnet(sid, vid, cidr, owner, az, free):
    return {'AvailabilityZone': az, 'AvailabilityZoneId': 'use1-az1',
            'AvailableIpAddressCount': free, 'CidrBlock': cidr,
            'DefaultForAz': False, 'MapPublicIpOnLaunch': False,
            'State': 'available', 'SubnetId': sid, 'VpcId': vid,
            'OwnerId': owner, 'AssignIpv6AddressOnCreation': False,
            'Ipv6CidrBlockAssociationSet': [], 'Tags': _tags(sid),
            'SubnetArn': 'arn:aws:ec2:%s:%s:subnet/%s' % (REGION, owner, sid),
            'EnableDns64': False, 'Ipv6Native': False,
            'PrivateDnsNameOptionsOnLaunch': {
                'HostnameType': 'ip-name', 'EnableResourceNameDnsARecord': False,
                'EnableResourceNameDnsAAAARecord': False}}


def _perm(proto, lo, hi, cidrs=(), groups=(), pls=()):
    p = {'IpProtocol': proto,
         'IpRanges': [{'CidrIp': c, 'Description': 'from %s' % c} for c in cidrs],
         'Ipv6Ranges': [],
         'PrefixListIds': [{'PrefixListId': x} for x in pls],
         'UserIdGroupPairs': [{'GroupId': g.split('/')[-1],
                               'UserId': g.split('/')[0] if '/' in g else None}
                              for g in groups]}
    for pair in p['UserIdGroupPairs']:
        if pair['UserId'] is None:
            del pair['UserId']
    if proto != '-1':
        p['FromPort'] = lo
        p['ToPort'] = hi
    return p


def _sg(gid, vid, owner, name, ingress, egress):
    return {'Description': name + ' group', 'GroupName': name,
            'IpPermissions': ingress, 'OwnerId': owner, 'GroupId': gid,
            'IpPermissionsEgress': egress, 'Tags': _tags(name), 'VpcId': vid}


def _acl(aid, vid, owner, subnets, default):
    entries = [
        {'CidrBlock': '0.0.0.0/0', 'Egress': eg, 'Protocol': '-1',
         'RuleAction': 'allow', 'RuleNumber': 100} for eg in (True, False)]
    entries += [
        {'CidrBlock': '0.0.0.0/0', 'Egress': eg, 'Protocol': '-1',
         'RuleAction': 'deny', 'RuleNumber': 32767} for eg in (True, False)]
    entries.append({'CidrBlock': '10.0.20.0/24', 'Egress': False,
                    'Protocol': '6', 'PortRange': {'From': 1024, 'To': 65535},
                    'RuleAction': 'allow', 'RuleNumber': 110})
    return {'Associations': [{'NetworkAclAssociationId': 'aclassoc-' + s[7:],
                              'NetworkAclId': aid, 'SubnetId': s}
                             for s in subnets],
            'Entries': entries, 'IsDefault': default, 'NetworkAclId': aid,
            'Tags': [], 'VpcId': vid, 'OwnerId': owner}


def _rt(rid, vid, owner, main, subnets, routes):
    assoc = [{'Main': False, 'RouteTableAssociationId': 'rtbassoc-' + s[7:],
              'RouteTableId': rid, 'SubnetId': s,
              'AssociationState': {'State': 'associated'}} for s in subnets]
    if main:
        assoc.append({'Main': True, 'RouteTableAssociationId': 'rtbassoc-main' + rid[4:],
                      'RouteTableId': rid,
                      'AssociationState': {'State': 'associated'}})
    return {'Associations': assoc, 'PropagatingVgws': [], 'RouteTableId': rid,
            'Routes': routes, 'Tags': [], 'VpcId': vid, 'OwnerId': owner}


def _route(dest, **target):
    r = {'DestinationCidrBlock': dest, 'Origin': 'CreateRoute',
         'State': target.pop('state', 'active')}
    if dest.startswith('pl-'):
        del r['DestinationCidrBlock']
        r['DestinationPrefixListId'] = dest
    r.update(target)
    return r


def _eni(eid, vid, sid, owner, ip, groups, desc):
    return {'AvailabilityZone': 'us-east-1a', 'Description': desc,
            'Groups': [{'GroupName': g, 'GroupId': g} for g in groups],
            'InterfaceType': 'interface', 'Ipv6Addresses': [],
            'MacAddress': '0e:00:00:00:00:01', 'NetworkInterfaceId': eid,
            'OwnerId': owner, 'PrivateDnsName': 'ip-%s.ec2.internal' % ip.replace('.', '-'),
            'PrivateIpAddress': ip,
            'PrivateIpAddresses': [{'Primary': True, 'PrivateIpAddress': ip}],
            'RequesterManaged': False, 'SourceDestCheck': True,
            'Status': 'in-use', 'SubnetId': sid, 'TagSet': [], 'VpcId': vid}


def _pcx_side(cidr, owner, vid, dns):
    return {'CidrBlock': cidr, 'CidrBlockSet': [{'CidrBlock': cidr}],
            'OwnerId': owner, 'PeeringOptions': {
                'AllowDnsResolutionFromRemoteVpc': dns,
                'AllowEgressFromLocalClassicLinkToRemoteVpc': False,
                'AllowEgressFromLocalVpcToRemoteClassicLink': False},
            'VpcId': vid, 'Region': REGION}


PEERING = {
    'AccepterVpcInfo': _pcx_side('2.0.0.0/16', EMR, EMR_VPC, True),
    'ExpirationTime': '2023-11-21T22:13:20.000Z',
    'RequesterVpcInfo': _pcx_side('10.0.0.0/16', STUDIO, STUDIO_VPC, False),
    'Status': {'Code': 'active', 'Message': 'Active'},
    'Tags': _tags('studio-to-emr'),
    'VpcPeeringConnectionId': PCX,
}


def _policy(statements):
    return {'Version': '2012-10-17', 'Statement': statements}


def _role(name, account, trust, inline=(), attached=()):
    return {'Path': '/', 'RoleName': name,
            'RoleId': 'AROA' + name.upper()[:12].ljust(12, 'X'),
            'Arn': 'arn:aws:iam::%s:role/%s' % (account, name),
            'CreateDate': '2023-01-02T03:04:05Z',
            'AssumeRolePolicyDocument': trust,
            'InstanceProfileList': [],
            'RolePolicyList': [{'PolicyName': n, 'PolicyDocument': d}
                               for n, d in inline],
            'AttachedManagedPolicies': [{'PolicyName': a.split('/')[-1],
                                         'PolicyArn': a} for a in attached],
            'Tags': [], 'RoleLastUsed': {}}


def _user(name, attached=()):
    return {'Path': '/', 'UserName': name,
            'UserId': 'AIDA' + name.upper().ljust(8, 'X'),
            'Arn': 'arn:aws:iam::%s:user/%s' % (STUDIO, name),
            'CreateDate': '2023-01-02T03:04:05Z',
            'GroupList': [], 'AttachedManagedPolicies': [
                {'PolicyName': a.split('/')[-1], 'PolicyArn': a} for a in attached],
            'UserPolicyList': [], 'Tags': []}


def _managed(arn, doc):
    return {'PolicyName': arn.split('/')[-1], 'PolicyId': 'ANPA' + str(abs(hash(arn)) % 10 ** 12),
            'Arn': arn, 'Path': '/', 'DefaultVersionId': 'v1',
            'AttachmentCount': 1, 'PermissionsBoundaryUsageCount': 0,
            'IsAttachable': True, 'CreateDate': '2023-01-02T03:04:05Z',
            'UpdateDate': '2023-01-02T03:04:05Z',
            'PolicyVersionList': [{'Document': doc, 'VersionId': 'v1',
                                   'IsDefaultVersion': True,
                                   'CreateDate': '2023-01-02T03:04:05Z'}]}


def discovery_policy(region='us-east-1', account=EMR):
    """The policy the setup guide publishes for the discovery role (with
    region and account filled in, or left as the guide's placeholders)."""
    return _policy([
        {'Effect': 'Allow',
         'Action': ['elasticmapreduce:DescribeCluster',
                    'elasticmapreduce:ListInstanceGroups',
                    'elasticmapreduce:CreatePersistentAppUI',
                    'elasticmapreduce:DescribePersistentAppUI',
                    'elasticmapreduce:GetPersistentAppUIPresignedURL',
                    'elasticmapreduce:GetOnClusterAppUIPresignedURL'],
         'Resource': 'arn:aws:elasticmapreduce:%s:%s:cluster/*' % (region, account)},
        {'Effect': 'Allow', 'Action': ['elasticmapreduce:ListClusters',
                                       'servicecatalog:SearchProducts'],
         'Resource': '*'}])


EMR_READ = discovery_policy()
READ_POLICY_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'docs', 'iam',
                                'xacct-doctor-read-policy.json')
ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess'
READ_ROLE = 'arn:aws:iam::%s:role/xacct-doctor-read' % EMR


def read_policy():
    """The read-only policy we ship (docs/iam/): the tests' read roles hold
    exactly it, so a fetch that works here works with it in AWS."""
    with open(READ_POLICY_FILE) as f:
        return json.load(f)


def _cluster(cid, state, subnet, master_dns, secconf):
    c = {'Id': cid, 'Name': 'spark-' + cid[-4:],
         'Status': {'State': state,
                    'StateChangeReason': {'Message': 'Cluster ready to run steps.'},
                    'Timeline': {'CreationDateTime': 1700000000.123,
                                 'ReadyDateTime': 1700000600.5}},
         'Ec2InstanceAttributes': {
             'Ec2SubnetId': subnet, 'RequestedEc2SubnetIds': [subnet],
             'Ec2AvailabilityZone': 'us-east-1a',
             'RequestedEc2AvailabilityZones': [],
             'IamInstanceProfile': 'EMR_EC2_DefaultRole',
             'EmrManagedMasterSecurityGroup': 'sg-0aa57ee0000000001',
             'EmrManagedSlaveSecurityGroup': 'sg-0c0ee000000000001',
             'AdditionalMasterSecurityGroups': ['sg-0ed7ea00000000001'],
             'AdditionalSlaveSecurityGroups': []},
         'InstanceCollectionType': 'INSTANCE_GROUP',
         'LogUri': 's3n://logs/', 'ReleaseLabel': 'emr-6.15.0',
         'AutoTerminate': False, 'TerminationProtected': False,
         'VisibleToAllUsers': True,
         'Applications': [{'Name': 'Spark', 'Version': '3.4.1'},
                          {'Name': 'Livy', 'Version': '0.7.1'},
                          {'Name': 'Hive', 'Version': '3.1.3'}],
         'Tags': [{'Key': 'team', 'Value': 'data & science'}],
         'ServiceRole': 'EMR_DefaultRole', 'NormalizedInstanceHours': 48,
         'MasterPublicDnsName': master_dns,
         'Configurations': [{'Classification': 'livy-conf',
                             'Properties': {'livy.server.port': '8998'}}],
         'ScaleDownBehavior': 'TERMINATE_AT_TASK_COMPLETION',
         'KerberosAttributes': {},
         'ClusterArn': 'arn:aws:elasticmapreduce:%s:%s:cluster/%s' % (REGION, EMR, cid),
         'StepConcurrencyLevel': 1,
         'PlacementGroups': []}
    if secconf:
        c['SecurityConfiguration'] = secconf
    return c


def _instance(iid, ip, group, state='RUNNING'):
    return {'Id': 'ci-' + iid, 'Ec2InstanceId': 'i-' + iid,
            'PublicDnsName': '', 'PublicIpAddress': '',
            'PrivateDnsName': 'ip-%s.ec2.internal' % ip.replace('.', '-'),
            'PrivateIpAddress': ip,
            'Status': {'State': state, 'StateChangeReason': {},
                       'Timeline': {'CreationDateTime': 1700000001.0,
                                    'ReadyDateTime': 1700000500.25}},
            'InstanceGroupId': group, 'Market': 'ON_DEMAND',
            'InstanceType': 'm5.xlarge', 'EbsVolumes': []}


PROFILES = [
    ('alice', {'SecurityGroups': ['sg-05d0d1e0000000001']}),
    ('bob', {'ExecutionRole': 'arn:aws:iam::%s:role/BobStudio' % STUDIO,
             'JupyterLabAppSettings': {'EmrSettings': {
                 'AssumableRoleArns': [EMR_ROLE]}}})]
SPACES = [('alice-space', 'Private', 'alice'), ('team-space', 'Shared', None)]


def _profile(name, settings):
    return {'DomainId': DOMAIN,
            'UserProfileArn': 'arn:aws:sagemaker:%s:%s:user-profile/%s/%s' % (
                REGION, STUDIO, DOMAIN, name),
            'UserProfileName': name, 'HomeEfsFileSystemUid': '200005',
            'Status': 'InService', 'LastModifiedTime': 1695000000.75,
            'CreationTime': 1690000000.5, 'UserSettings': settings}


def _space(name, sharing, owner):
    # OwnershipSettings and SpaceSharingSettings as the SageMaker API
    # reference gives them (older botocore models lack both)
    d = {'DomainId': DOMAIN,
         'SpaceArn': 'arn:aws:sagemaker:%s:%s:space/%s/%s' % (REGION, STUDIO, DOMAIN, name),
         'SpaceName': name, 'HomeEfsFileSystemUid': '200010', 'Status': 'InService',
         'LastModifiedTime': 1695000000.75, 'CreationTime': 1690000000.5,
         'SpaceSettings': {'AppType': 'JupyterLab'},
         'SpaceSharingSettings': {'SharingType': sharing},
         'SpaceDisplayName': name,
         'Url': 'https://%s.studio.%s.sagemaker.aws/jupyterlab/default' % (DOMAIN, REGION)}
    if owner:
        d['OwnershipSettings'] = {'OwnerUserProfileName': owner}
    return d


def build(discovery_reads=True, read_role=False, discovery_extra=()):
    """The world: {account: {...}} plus the roles that can be assumed.
    discovery_reads: the discovery role also holds the read policy (an
    admin who granted it everything), else only the published discovery
    policy; read_role: the EMR account has the xacct-doctor-read role,
    trusted by the Studio account; discovery_extra: more actions the
    discovery role may call (on the account's clusters)."""
    studio_subnets = ['subnet-050000000000000a1', 'subnet-050000000000000a2',
                      'subnet-050000000000000a3']
    emr_subnet = 'subnet-0e0000000000000b1'
    w = {}
    w[STUDIO] = {
        'Vpcs': [_vpc(STUDIO_VPC, '10.0.0.0/16', STUDIO, 'studio & <vpc>'),
                 _vpc('vpc-0def0000000000099', '172.31.0.0/16', STUDIO,
                      'default', default=True),
                 _vpc('vpc-007bee00000000003', '10.9.0.0/16', STUDIO, 'other')],
        'Subnets': [_subnet(studio_subnets[0], STUDIO_VPC, '10.0.20.0/24',
                            STUDIO, 'us-east-1a', 250),
                    _subnet(studio_subnets[1], STUDIO_VPC, '10.0.21.0/24',
                            STUDIO, 'us-east-1b', 251),
                    _subnet(studio_subnets[2], STUDIO_VPC, '10.0.22.0/24',
                            STUDIO, 'us-east-1c', 0),
                    _subnet('subnet-000def00000000001', 'vpc-0def0000000000099',
                            '172.31.0.0/20', STUDIO, 'us-east-1a', 4091)],
        'RouteTables': [
            _rt('rtb-00500000000000001', STUDIO_VPC, STUDIO, False,
                studio_subnets[:2],
                [_route('10.0.0.0/16', GatewayId='local'),
                 _route('2.0.1.0/24', VpcPeeringConnectionId=PCX),
                 _route(PL, GatewayId='vpce-0abc0000'),
                 _route('0.0.0.0/0', NatGatewayId='nat-0abc')]),
            _rt('rtb-00500000000000002', STUDIO_VPC, STUDIO, True, [],
                [_route('10.0.0.0/16', GatewayId='local'),
                 _route('2.0.0.0/16', VpcPeeringConnectionId='pcx-0dead000',
                        state='blackhole')]),
            _rt('rtb-00d00000000000003', 'vpc-0def0000000000099', STUDIO, True,
                [], [_route('172.31.0.0/16', GatewayId='local')])],
        'SecurityGroups': [
            _sg('sg-057bd100000000001', STUDIO_VPC, STUDIO, 'studio-domain',
                [_perm('-1', 0, 0, groups=['sg-057bd100000000001'])],
                [_perm('-1', 0, 0, cidrs=['0.0.0.0/0'])]),
            _sg('sg-057bd100000000002', STUDIO_VPC, STUDIO, 'studio-endpoints',
                [_perm('tcp', 443, 443, cidrs=['10.0.0.0/16'], pls=[PL])],
                [_perm('tcp', 8998, 8998, groups=['%s/sg-0aa57ee0000000001' % EMR])]),
            _sg('sg-00def000000000099', 'vpc-0def0000000000099', STUDIO,
                'default', [], [_perm('-1', 0, 0, cidrs=['0.0.0.0/0'])])],
        'NetworkAcls': [
            _acl('acl-00500000000000001', STUDIO_VPC, STUDIO, studio_subnets, True),
            _acl('acl-00d00000000000099', 'vpc-0def0000000000099', STUDIO,
                 ['subnet-000def00000000001'], True)],
        'VpcPeeringConnections': [PEERING],
        'NetworkInterfaces': [
            _eni('eni-05000000000000001', STUDIO_VPC, studio_subnets[0], STUDIO,
                 '10.0.20.15', ['sg-057bd100000000001'], 'SageMaker Studio'),
            _eni('eni-05000000000000002', STUDIO_VPC, studio_subnets[1], STUDIO,
                 '10.0.21.7', ['sg-057bd100000000002'], 'VPC endpoint'),
            _eni('eni-05000000000000003', STUDIO_VPC, studio_subnets[0], STUDIO,
                 '10.0.20.16', ['sg-057bd100000000001'], 'SageMaker Studio 2'),
            _eni('eni-0d000000000000009', 'vpc-0def0000000000099',
                 'subnet-000def00000000001', STUDIO, '172.31.0.9',
                 ['sg-00def000000000099'], 'unrelated')],
        'PrefixLists': [
            {'PrefixListId': PL, 'AddressFamily': 'IPv4', 'State': 'create-complete',
             'PrefixListArn': 'arn:aws:ec2:%s:%s:prefix-list/%s' % (REGION, STUDIO, PL),
             'PrefixListName': 'corp-ranges', 'MaxEntries': 10, 'Version': 3,
             'Tags': [], 'OwnerId': STUDIO},
            {'PrefixListId': 'pl-63a5400a', 'AddressFamily': 'IPv4',
             'State': 'create-complete',
             'PrefixListArn': 'arn:aws:ec2:%s:aws:prefix-list/pl-63a5400a' % REGION,
             'PrefixListName': 'com.amazonaws.us-east-1.s3', 'Tags': [],
             'OwnerId': 'AWS'}],
        'PrefixListEntries': {PL: [{'Cidr': '192.0.2.0/24', 'Description': 'office'},
                                   {'Cidr': '198.51.100.0/24', 'Description': 'vpn'},
                                   {'Cidr': '203.0.113.0/24'}]},
        'VpcAttributes': {STUDIO_VPC: {'enableDnsSupport': True,
                                       'enableDnsHostnames': True},
                          'vpc-0def0000000000099': {'enableDnsSupport': True,
                                                    'enableDnsHostnames': True},
                          'vpc-007bee00000000003': {'enableDnsSupport': True,
                                                    'enableDnsHostnames': False}},
        'Domains': {DOMAIN: {
            'DomainArn': 'arn:aws:sagemaker:%s:%s:domain/%s' % (REGION, STUDIO, DOMAIN),
            'DomainId': DOMAIN, 'DomainName': 'data-science',
            'HomeEfsFileSystemId': 'fs-0abc', 'Status': 'InService',
            'CreationTime': 1690000000.5, 'LastModifiedTime': 1695000000.75,
            'AuthMode': 'IAM',
            'DefaultUserSettings': {
                'ExecutionRole': STUDIO_EXEC_ROLE,
                'SecurityGroups': ['sg-057bd100000000001'],
                'JupyterLabAppSettings': {'EmrSettings': {
                    'AssumableRoleArns': [EMR_ROLE, DENY_ROLE],
                    'ExecutionRoleArns': []}}},
            'AppNetworkAccessType': 'VpcOnly',
            'SubnetIds': studio_subnets[:2], 'Url': 'https://d-studio.studio.sagemaker.aws',
            'VpcId': STUDIO_VPC}},
        # the domain's user profiles and spaces (DescribeUserProfile /
        # DescribeSpace shapes; two pages of each)
        'UserProfiles': {(DOMAIN, n): _profile(n, us) for n, us in PROFILES},
        'Spaces': {(DOMAIN, n): _space(n, share, owner) for n, share, owner in SPACES},
        'IAM': {
            'UserDetailList': [_user('alice'), _user('admin', [ADMIN]),
                               _user('dev', [ADMIN])],
            'GroupDetailList': [],
            'RoleDetailList': [
                _role('StudioExecutionRole', STUDIO, _policy([{
                    'Effect': 'Allow', 'Principal': {'Service': 'sagemaker.amazonaws.com'},
                    'Action': 'sts:AssumeRole'}]),
                    inline=[('assume-emr', _policy([{
                        'Effect': 'Allow', 'Action': 'sts:AssumeRole',
                        'Resource': [EMR_ROLE, READ_ROLE]}])),
                            ('xacct-doctor-read', read_policy())],
                    attached=['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess']),
                _role('Other', STUDIO, _policy([{'Effect': 'Allow', 'Principal': {
                    'Service': 'ec2.amazonaws.com'}, 'Action': 'sts:AssumeRole'}])),
                _role('Third', STUDIO, _policy([])),
                # the callers of the tests (static keys, IMDS, profiles)
                _role('Admin', STUDIO, _policy([]), attached=[ADMIN]),
                _role('r', STUDIO, _policy([]), attached=[ADMIN]),
                _role('StudioInstanceRole', STUDIO, _policy([]), attached=[ADMIN]),
            ],
            'Policies': [
                _managed(ADMIN, _policy([{'Effect': 'Allow', 'Action': '*',
                                          'Resource': '*'}])),
                _managed('arn:aws:iam::aws:policy/AmazonSageMakerFullAccess',
                         _policy([{'Effect': 'Allow', 'Action': 'sagemaker:*',
                                   'Resource': '*'}])),
                _managed('arn:aws:iam::%s:policy/local-one' % STUDIO,
                         _policy([{'Effect': 'Allow', 'Action': 's3:GetObject',
                                   'Resource': 'arn:aws:s3:::bucket/a b'}])),
                _managed('arn:aws:iam::%s:policy/local-two' % STUDIO, _policy([])),
            ],
        },
    }
    w[EMR] = {
        'Vpcs': [_vpc(EMR_VPC, '2.0.0.0/16', EMR, 'emr')],
        'Subnets': [_subnet(emr_subnet, EMR_VPC, '2.0.1.0/24', EMR,
                            'us-east-1a', 200),
                    _subnet('subnet-0e0000000000000b2', EMR_VPC, '2.0.2.0/24',
                            EMR, 'us-east-1b', 251)],
        'RouteTables': [_rt('rtb-00e00000000000001', EMR_VPC, EMR, True,
                            [emr_subnet],
                            [_route('2.0.0.0/16', GatewayId='local'),
                             _route('10.0.20.0/24', VpcPeeringConnectionId=PCX)])],
        'SecurityGroups': [
            _sg('sg-0aa57ee0000000001', EMR_VPC, EMR,
                'ElasticMapReduce-master',
                [_perm('tcp', 8998, 8998, groups=['%s/sg-057bd100000000001' % STUDIO]),
                 _perm('tcp', 10000, 10000, cidrs=['10.0.20.0/24']),
                 _perm('icmp', -1, -1, cidrs=['2.0.0.0/16'])],
                [_perm('-1', 0, 0, cidrs=['0.0.0.0/0'])]),
            _sg('sg-0c0ee000000000001', EMR_VPC, EMR, 'ElasticMapReduce-slave',
                [], [_perm('-1', 0, 0, cidrs=['0.0.0.0/0'])]),
            _sg('sg-0ed7ea00000000001', EMR_VPC, EMR, 'extra-master',
                [_perm('tcp', 8889, 8889, cidrs=['10.0.20.15/32'])], [])],
        'NetworkAcls': [_acl('acl-00e00000000000001', EMR_VPC, EMR,
                             [emr_subnet], True)],
        'VpcPeeringConnections': [PEERING],
        'NetworkInterfaces': [
            _eni('eni-0e000000000000001', EMR_VPC, emr_subnet, EMR, '2.0.1.10',
                 ['sg-0aa57ee0000000001', 'sg-0ed7ea00000000001'], 'primary'),
            _eni('eni-0e000000000000002', EMR_VPC, emr_subnet, EMR, '2.0.1.11',
                 ['sg-0c0ee000000000001'], 'core')],
        'PrefixLists': [],
        'PrefixListEntries': {},
        'VpcAttributes': {EMR_VPC: {'enableDnsSupport': True,
                                    'enableDnsHostnames': True}},
        'Clusters': {
            CLUSTERS[0]: _cluster(CLUSTERS[0], 'WAITING', emr_subnet,
                                  'ip-2-0-1-10.ec2.internal', 'sc-kerberos'),
            CLUSTERS[1]: dict(_cluster(CLUSTERS[1], 'RUNNING', emr_subnet,
                                       'ip-2-0-1-20.ec2.internal', 'sc-kerberos'),
                              InstanceCollectionType='INSTANCE_FLEET'),
            'j-3TERMINATED0003': _cluster('j-3TERMINATED0003', 'TERMINATED',
                                          emr_subnet, '', None),
        },
        'Instances': {
            CLUSTERS[0]: [_instance('000000000000000a1', '2.0.1.10', 'ig-master'),
                          _instance('000000000000000a2', '2.0.1.11', 'ig-core'),
                          _instance('000000000000000a3', '2.0.1.12', 'ig-core')],
            CLUSTERS[1]: [_instance('000000000000000b1', '2.0.1.20', 'ig-master2')],
        },
        'InstanceGroups': {
            CLUSTERS[0]: [
                {'Id': 'ig-master', 'Name': 'Primary', 'Market': 'ON_DEMAND',
                 'InstanceGroupType': 'MASTER', 'InstanceType': 'm5.xlarge',
                 'RequestedInstanceCount': 1, 'RunningInstanceCount': 1,
                 'Status': {'State': 'RUNNING', 'StateChangeReason': {},
                            'Timeline': {'CreationDateTime': 1700000000.5}},
                 'Configurations': [], 'EbsBlockDevices': []},
                {'Id': 'ig-core', 'Name': 'Core', 'Market': 'ON_DEMAND',
                 'InstanceGroupType': 'CORE', 'InstanceType': 'm5.xlarge',
                 'RequestedInstanceCount': 2, 'RunningInstanceCount': 2,
                 'Status': {'State': 'RUNNING', 'StateChangeReason': {},
                            'Timeline': {'CreationDateTime': 1700000000.5}},
                 'Configurations': [], 'EbsBlockDevices': []}]},
        'InstanceFleets': {
            CLUSTERS[1]: [
                {'Id': 'if-master2', 'Name': 'Primary', 'InstanceFleetType': 'MASTER',
                 'Status': {'State': 'RUNNING', 'StateChangeReason': {},
                            'Timeline': {'CreationDateTime': 1700000000.5}},
                 'TargetOnDemandCapacity': 1, 'ProvisionedOnDemandCapacity': 1,
                 'InstanceTypeSpecifications': [{'InstanceType': 'm5.xlarge',
                                                 'WeightedCapacity': 1}]}]},
        'BootstrapActions': {
            CLUSTERS[0]: [{'Name': 'install & setup', 'ScriptPath': 's3://b/setup.sh',
                           'Args': ['--livy', '8998']}]},
        'SecurityConfigurations': {'sc-kerberos': {
            'Name': 'sc-kerberos',
            'SecurityConfiguration': '{"AuthenticationConfiguration":{"KerberosConfiguration":{"Provider":"ClusterDedicatedKdc","ClusterDedicatedKdcConfiguration":{"TicketLifetimeInHours":24}}}}',
            'CreationDateTime': 1699999999.0}},
        'IAM': {
            'UserDetailList': [dict(_user('emr-admin', [ADMIN]),
                                    Arn='arn:aws:iam::%s:user/emr-admin' % EMR)],
            'GroupDetailList': [],
            'RoleDetailList': [
                _role('emr-discovery-role', EMR, _policy([{
                    'Effect': 'Allow',
                    'Principal': {'AWS': 'arn:aws:iam::%s:root' % STUDIO},
                    'Action': 'sts:AssumeRole'}]),
                    inline=[('emr-read', EMR_READ)] +
                    ([('extra', _policy([{'Effect': 'Allow',
                                          'Action': list(discovery_extra),
                                          'Resource': '*'}]))]
                     if discovery_extra else []) +
                    ([('xacct-doctor-read', read_policy())]
                     if discovery_reads else []))] +
                ([_role('xacct-doctor-read', EMR, _policy([{
                    'Effect': 'Allow',
                    'Principal': {'AWS': 'arn:aws:iam::%s:root' % STUDIO},
                    'Action': 'sts:AssumeRole'}]),
                    inline=[('read', read_policy())])] if read_role else []),
            'Policies': [],
        },
    }
    world_network.add(w, STUDIO, EMR, REGION, STUDIO_VPC, EMR_VPC)
    roles = {EMR_ROLE: {'account': EMR, 'deny': None},
             DENY_ROLE: {'account': DENY, 'deny': 'plain'}}
    return w, roles


def role_file():
    """The lifecycle configuration's file: account id -> role ARN."""
    return {EMR: EMR_ROLE}
