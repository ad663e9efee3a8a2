"""The AWS wire formats, for the loopback endpoint of the tests.

Answers are written from the same botocore service models the AWS CLI
reads, in each protocol's real form: EC2 query XML (namespace, <item>
lists, lower-camel element names), AWS query XML (Result wrapper,
<member> lists, ResponseMetadata), IAM policy documents URL-encoded, and
JSON 1.1. `cli_parse` turns a wire answer back into what the AWS CLI v1
prints (timestamps and blobs as on the wire, ResponseMetadata dropped, IAM
policies decoded), using botocore's own parsers: the reference our C
client is compared with.
"""
import json
import urllib.parse
from xml.sax.saxutils import escape

import botocore.handlers
import botocore.loaders
import botocore.model
import botocore.parsers

EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/'
QUERY_NS = {'sts': 'https://sts.amazonaws.com/doc/2011-06-15/',
            'iam': 'https://iam.amazonaws.com/doc/2010-05-08/'}
PROTOCOL = {'ec2': 'ec2', 'sts': 'query', 'iam': 'query',
            'emr': 'json', 'sagemaker': 'json', 'route53resolver': 'json'}

_loader = botocore.loaders.Loader()
_models = {}


def model(service):
    if service not in _models:
        _models[service] = botocore.model.ServiceModel(
            _loader.load_service_model(service, 'service-2'), service)
    return _models[service]


def encode_policy(doc):
    """IAM sends policy documents as URL-encoded JSON (RFC 3986)."""
    if isinstance(doc, str):
        return doc
    return urllib.parse.quote(json.dumps(doc, separators=(',', ':')), safe='')


def _text(shape, v):
    t = shape.type_name
    if t == 'boolean':
        return 'true' if v else 'false'
    if shape.name == 'policyDocumentType':
        return encode_policy(v)
    return str(v)


def _ser(shape, v, item_tag):
    t = shape.type_name
    if t == 'structure':
        out = []
        for name, m in shape.members.items():
            if name not in v:
                continue
            tag = m.serialization.get('name', name)
            out.append('<%s>%s</%s>' % (tag, _ser(m, v[name], item_tag), tag))
        return ''.join(out)
    if t == 'list':
        tag = shape.member.serialization.get('name', item_tag)
        return ''.join('<%s>%s</%s>' % (tag, _ser(shape.member, x, item_tag), tag)
                       for x in v)
    if t == 'map':
        raise ValueError('maps are not used by our XML calls')
    return escape(_text(shape, v))


def ec2_xml(op, data, request_id='8f7e7a70-0000-4000-8000-000000000000'):
    shape = model('ec2').operation_model(op).output_shape
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<%sResponse xmlns="%s">\n    <requestId>%s</requestId>\n    %s\n'
            '</%sResponse>' % (op, EC2_NS, request_id, _ser(shape, data, 'item'),
                               op))


def query_xml(service, op, data, request_id='c6104cbe-0000-4000-8000-00000000aaaa'):
    om = model(service).operation_model(op)
    shape = om.output_shape
    wrapper = shape.serialization.get('resultWrapper', op + 'Result')
    return ('<%sResponse xmlns="%s">\n  <%s>%s</%s>\n'
            '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n'
            '  </ResponseMetadata>\n</%sResponse>\n'
            % (op, QUERY_NS[service], wrapper, _ser(shape, data, 'member'),
               wrapper, request_id, op))


def wire(service, op, data):
    """The answer body AWS would send for data (given in the CLI's shape)."""
    p = PROTOCOL[service]
    if p == 'ec2':
        return ec2_xml(op, data)
    if p == 'query':
        return query_xml(service, op, data)
    return json.dumps(data)


def ec2_error(code, message):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            '<Code>%s</Code><Message>%s</Message></Error></Errors>'
            '<RequestID>5c1b0d1e-0000-4000-8000-00000000eeee</RequestID>'
            '</Response>' % (escape(code), escape(message)))


def query_error(service, code, message, kind='Sender'):
    return ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n'
            '    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n'
            '  <RequestId>0e5f1c2a-0000-4000-8000-00000000ffff</RequestId>\n'
            '</ErrorResponse>\n' % (QUERY_NS[service], kind, escape(code),
                                    escape(message)))


def json_error(code, message):
    return json.dumps({'__type': code, 'message': message})


def _identity(x):
    return x


def cli_parse(service, op, body):
    """What the AWS CLI v1 prints for this (successful) wire answer."""
    om = model(service).operation_model(op)
    proto = PROTOCOL[service]
    cls = {'ec2': botocore.parsers.EC2QueryParser,
           'query': botocore.parsers.QueryParser,
           'json': botocore.parsers.JSONParser}[proto]
    parser = cls(timestamp_parser=_identity, blob_parser=_identity)
    parsed = parser.parse({'body': body.encode(), 'headers': {},
                           'status_code': 200}, om.output_shape)
    parsed.pop('ResponseMetadata', None)
    if service == 'iam':
        botocore.handlers.json_decode_policies(parsed, om)
    return parsed


# ---- random instances of a shape, for the converter test ----

STRINGS = ['vpc-0abc1234', 'a & b < c > "d" \'e\'', '\u00fcn\u00efc\u00f6d\u00e9 \u2603',
           '', '  spaces  ', '123456789012', 'true', 'false', '10.0.0.0/16',
           'line\nbreak', '-1', '0.5', 'x' * 300, '<![CDATA[not cdata]]>',
           '%41%42', ']]>']


def random_policy(rng):
    if rng.random() < 0.15:
        return 'not json %zz at all'
    return {'Version': '2012-10-17',
            'Statement': [{'Effect': rng.choice(['Allow', 'Deny']),
                           'Action': rng.choice(['sts:AssumeRole',
                                                 ['ec2:Describe*', 'emr:List*']]),
                           'Resource': 'arn:aws:iam::222222222222:role/a b+c%',
                           'Principal': {'AWS': 'arn:aws:iam::111111111111:root'}}]}


def random_value(shape, rng, depth=0):
    t = shape.type_name
    if t == 'structure':
        d = {}
        for name, m in shape.members.items():
            if depth < 7 and rng.random() < 0.8:
                d[name] = random_value(m, rng, depth + 1)
        return d
    if t == 'list':
        n = rng.choice([0, 1, 1, 2, 3]) if depth < 7 else 0
        return [random_value(shape.member, rng, depth + 1) for _ in range(n)]
    if t == 'boolean':
        return rng.choice([True, False])
    if t in ('integer', 'long'):
        return rng.choice([0, -1, 1, 22, 8998, 65535, 2 ** 40])
    if t in ('float', 'double'):
        return rng.choice([0.5, 1.25, -3.0, 1e10, 3.0])
    if t == 'timestamp':
        return rng.choice(['2023-11-14T22:13:20.000Z', '2024-02-29T00:00:00Z'])
    if t == 'blob':
        return 'aGVsbG8gd29ybGQ='
    if shape.name == 'policyDocumentType':
        return random_policy(rng)
    if shape.enum:
        return rng.choice(shape.enum)
    return rng.choice(STRINGS)
