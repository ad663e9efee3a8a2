"""The control plane and DNS of the loopback AWS's accounts (issue 19):
VPC endpoints, DHCP options sets and Route 53 Resolver rules, in the shape
the AWS CLI prints them (`aws ec2 describe-vpc-endpoints`, `aws ec2
describe-dhcp-options`, `aws route53resolver list-resolver-rules`, ...).

The Studio VPC reaches STS and EMR through interface endpoints (private
DNS on, in its subnets, behind its endpoint group) and S3 through a
gateway endpoint; its DNS is AmazonProvidedDNS, and a Resolver rule
forwards a company domain. Endpoints and options sets of other VPCs are
there so that the filters fetch sends can be seen to work; lists are
longer than a page on purpose.
"""
import json

AMAZON_DNS = 'AmazonProvidedDNS'


def dhcp(dopt, owner, servers, domain, ntp=()):
    conf = [{'Key': 'domain-name', 'Values': [{'Value': domain}]},
            {'Key': 'domain-name-servers',
             'Values': [{'Value': s} for s in servers]}]
    if ntp:
        conf.append({'Key': 'ntp-servers', 'Values': [{'Value': s} for s in ntp]})
    return {'DhcpConfigurations': conf, 'DhcpOptionsId': dopt,
            'OwnerId': owner, 'Tags': [{'Key': 'Name', 'Value': dopt}]}


def endpoint_policy(account=None):
    """The default full-access policy, or one allowing only account's
    principals (as EC2 returns it: a JSON text)."""
    stmt = {'Effect': 'Allow', 'Principal': '*', 'Action': '*', 'Resource': '*'}
    if account:
        stmt['Principal'] = {'AWS': 'arn:aws:iam::%s:root' % account}
    return json.dumps({'Version': '2008-10-17', 'Statement': [stmt]},
                      indent=4)


def interface(vpce, vpc, owner, region, service, subnets, groups, enis,
              private_dns=True, state='available', policy=None):
    name = 'com.amazonaws.%s.%s' % (region, service)
    host = '%s.%s.vpce.amazonaws.com' % (vpce, service)
    ep = {'VpcEndpointId': vpce, 'VpcEndpointType': 'Interface', 'VpcId': vpc,
          'ServiceName': name, 'State': state,
          'PolicyDocument': policy or endpoint_policy(),
          'RouteTableIds': [], 'SubnetIds': list(subnets),
          'Groups': [{'GroupId': g, 'GroupName': 'studio-endpoints'} for g in groups],
          'IpAddressType': 'ipv4', 'DnsOptions': {'DnsRecordIpType': 'ipv4'},
          'PrivateDnsEnabled': private_dns, 'RequesterManaged': False,
          'NetworkInterfaceIds': list(enis),
          'DnsEntries': [{'DnsName': host, 'HostedZoneId': 'Z7HUB22UULQXV'}] +
                        ([{'DnsName': '%s.%s.amazonaws.com' % (service, region),
                           'HostedZoneId': 'Z0841629GT3PL06ZB3KZ'}] if private_dns else []),
          'CreationTimestamp': '2023-06-01T10:00:00.000Z',
          'Tags': [{'Key': 'Name', 'Value': service + ' & <endpoint>'}],
          'OwnerId': owner}
    return ep


def gateway(vpce, vpc, owner, region, service, route_tables):
    return {'VpcEndpointId': vpce, 'VpcEndpointType': 'Gateway', 'VpcId': vpc,
            'ServiceName': 'com.amazonaws.%s.%s' % (region, service),
            'State': 'available', 'PolicyDocument': endpoint_policy(),
            'RouteTableIds': list(route_tables), 'SubnetIds': [], 'Groups': [],
            'PrivateDnsEnabled': False, 'RequesterManaged': False,
            'NetworkInterfaceIds': [], 'DnsEntries': [],
            'CreationTimestamp': '2023-06-01T10:00:00.000Z', 'Tags': [],
            'OwnerId': owner}


def resolver_rule(rid, owner, region, domain, kind, targets=(), name=''):
    r = {'Id': rid, 'CreatorRequestId': 'req-' + rid[-8:],
         'Arn': 'arn:aws:route53resolver:%s:%s:resolver-rule/%s' % (region, owner, rid),
         'DomainName': domain, 'Status': 'COMPLETE',
         'StatusMessage': '[Trace id: 1-00000000-000000000000000000000000] '
                          'Successfully created Resolver Rule.',
         'RuleType': kind, 'Name': name,
         'OwnerId': owner, 'ShareStatus': 'NOT_SHARED',
         'CreationTime': '2023-06-01T10:00:00.000000Z',
         'ModificationTime': '2023-06-01T10:00:00.000000Z'}
    if targets:
        r['TargetIps'] = [{'Ip': ip, 'Port': 53} for ip in targets]
        r['ResolverEndpointId'] = 'rslvr-out-0a1b2c3d4e5f60001'
    # the service answers in its model's member order (as botocore
    # prints it); fetch keeps the order it is sent
    order = ['Id', 'CreatorRequestId', 'Arn', 'DomainName', 'Status',
             'StatusMessage', 'RuleType', 'Name', 'TargetIps',
             'ResolverEndpointId', 'OwnerId', 'ShareStatus', 'CreationTime',
             'ModificationTime']
    return {k: r[k] for k in order if k in r}


def association(aid, rule, vpc, name=''):
    return {'Id': aid, 'ResolverRuleId': rule, 'Name': name, 'VPCId': vpc,
            'Status': 'COMPLETE', 'StatusMessage': ''}


def internet_resolver(region):
    """The rule Route 53 Resolver defines itself, in every account."""
    r = resolver_rule('rslvr-autodefined-rr-internet-resolver',
                      'Route 53 Resolver', region, '.', 'RECURSIVE',
                      name='Internet Resolver')
    del r['CreatorRequestId'], r['StatusMessage']
    r['Arn'] = 'arn:aws:route53resolver:%s::autodefined-rule/%s' % (region, r['Id'])
    return r


def add_emr_side(acct, region, vpc, dopt):
    """An EMR account's VPC: AmazonProvidedDNS, no endpoint, no rule."""
    for v in acct['Vpcs']:
        if v['VpcId'] == vpc:
            v['DhcpOptionsId'] = dopt
    acct['VpcEndpoints'] = []
    acct['DhcpOptions'] = [dhcp(dopt, acct['Vpcs'][0]['OwnerId'], [AMAZON_DNS],
                                'ec2.internal')]
    acct['ResolverRules'] = [internet_resolver(region)]
    acct['ResolverRuleAssociations'] = []


def add(w, studio, emr, region, studio_vpc, emr_vpc):
    """Put the control-plane and DNS side into world w (world.build)."""
    s = w[studio]
    subnets = [x['SubnetId'] for x in s['Subnets'] if x['VpcId'] == studio_vpc]
    other = [v['VpcId'] for v in s['Vpcs'] if v['VpcId'] != studio_vpc]
    rtb = [r['RouteTableId'] for r in s['RouteTables'] if r['VpcId'] == studio_vpc]
    group = 'sg-057bd100000000002'     # the "studio-endpoints" group
    s['VpcEndpoints'] = [
        # STS is called by Studio's own role, so a policy that admits only
        # Studio's account is right there (EMR's calls come from the EMR
        # account's discovery role, which it would refuse)
        interface('vpce-05750000000000001', studio_vpc, studio, region, 'sts',
                  subnets[:2], [group], ['eni-05000000000000002'],
                  policy=endpoint_policy(studio)),
        interface('vpce-05750000000000002', studio_vpc, studio, region,
                  'elasticmapreduce', subnets[:2], [group],
                  ['eni-05000000000000002']),
        gateway('vpce-0abc0000', studio_vpc, studio, region, 's3', rtb[:1]),
        interface('vpce-05750000000000004', studio_vpc, studio, region,
                  'sagemaker.api', subnets[:1], [group], [], private_dns=False,
                  state='pendingAcceptance'),
        # another VPC's endpoint: filtered out
        interface('vpce-0e7e0000000000005', other[-1], studio, region, 'sts',
                  [], [], [])]
    for v in s['Vpcs']:
        v['DhcpOptionsId'] = 'dopt-0abc0000' if v['VpcId'] == studio_vpc \
            else 'default' if v['VpcId'] == other[0] else 'dopt-0c0ffee0'
    s['DhcpOptions'] = [
        dhcp('dopt-0abc0000', studio, [AMAZON_DNS], 'ec2.internal'),
        dhcp('dopt-0c0ffee0', studio, ['10.9.0.53', '192.0.2.53'],
             'corp.example.com', ntp=['169.254.169.123']),
        dhcp('dopt-0dead000', studio, ['198.51.100.53'], 'old.example.com')]
    s['ResolverRules'] = [
        internet_resolver(region),
        resolver_rule('rslvr-rr-0a1b2c3d4e5f60001', studio, region,
                      'corp.example.com.', 'FORWARD', ['10.9.0.53', '192.0.2.53'],
                      'corp & <dns>'),
        resolver_rule('rslvr-rr-0a1b2c3d4e5f60002', studio, region,
                      'aws.corp.example.com.', 'SYSTEM', name='aws-side')]
    s['ResolverRuleAssociations'] = [
        association('rslvr-rrassoc-0a1b2c3d4e5f60001', 'rslvr-rr-0a1b2c3d4e5f60001',
                    studio_vpc, 'studio-corp'),
        association('rslvr-rrassoc-0a1b2c3d4e5f60002', 'rslvr-rr-0a1b2c3d4e5f60002',
                    studio_vpc),
        association('rslvr-rrassoc-0a1b2c3d4e5f60003', 'rslvr-rr-0a1b2c3d4e5f60001',
                    other[-1])]
    add_emr_side(w[emr], region, emr_vpc, 'dopt-0e0e0e0e')
