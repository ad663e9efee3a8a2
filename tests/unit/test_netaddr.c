/* tests/unit/test_netaddr.c: the CIDR arithmetic every route, security
 * group and ACL verdict rests on. Parsing must be strict (a typo in a
 * customer's snapshot is reported, never wrapped into another block). */
#include <stdint.h>

#include "check.h"
#include "common/netaddr.h"

static const char *fmt(const char *in)
{
  static char out[XD_CIDR_STRLEN];
  xd_cidr c;
  if(!xd_cidr_parse(in, &c))
    return "(rejected)";
  return xd_cidr_format(&c, out, sizeof(out));
}

static xd_cidr C(const char *s)
{
  xd_cidr c = {0};
  if(!xd_cidr_parse(s, &c))
    fprintf(stderr, "test setup: %s does not parse\n", s);
  return c;
}

static xd_ip I(const char *s)
{
  xd_ip ip = {0};
  if(!xd_ip_parse(s, &ip))
    fprintf(stderr, "test setup: %s does not parse\n", s);
  return ip;
}

static const char *nth(const char *cidr, uint64_t n)
{
  static char out[64];
  xd_cidr c = C(cidr);
  xd_ip ip;
  if(!xd_cidr_nth(&c, n, &ip))
    return "(none)";
  return xd_ip_format(&ip, out, sizeof(out));
}

static void test_parse_format(void)
{
  xd_cidr c;
  xd_ip ip;
  CHECK_STR(fmt("10.0.20.0/24"), "10.0.20.0/24");
  CHECK_STR(fmt("2.0.1.0/24"), "2.0.1.0/24");
  CHECK_STR(fmt("0.0.0.0/0"), "0.0.0.0/0");
  CHECK_STR(fmt("10.0.20.15"), "10.0.20.15/32");
  CHECK_STR(fmt("2001:db8::/32"), "2001:db8::/32");
  CHECK_STR(fmt("::/0"), "::/0");
  CHECK_STR(fmt("2600:1F18:ABCD:1200::/56"), "2600:1f18:abcd:1200::/56");
  CHECK_STR(fmt("fe80::1"), "fe80::1/128");
  CHECK(xd_cidr_parse("10.0.0.0/16", &c) && c.addr.family == 4 &&
        c.prefix == 16);
  CHECK(xd_cidr_parse("2001:db8::/64", &c) && c.addr.family == 6 &&
        c.prefix == 64);
  CHECK(xd_ip_parse("2.0.1.10", &ip) && ip.family == 4 && ip.b[0] == 2 &&
        ip.b[3] == 10);
  CHECK(xd_ip_parse("::1", &ip) && ip.family == 6 && ip.b[15] == 1);
}

static void test_strict(void)
{
  static const char *bad[] = {
    "300.1.2.3/33", "300.1.2.3/24", "10.0.0.0/33", "1.2.3/24", "1.2.3",
    "1.2.3.4.5/32", "::g", "::g/64", "2001:db8::/129", "10.0.0.0/16x",
    "10.0.0.0/16 ", " 10.0.0.0/16", "10.0.0.0/ 16", "10.0.0.0/", "/16",
    "", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0//8", "10.0.0.0/0x10",
    "10.0.0.0/1000", "256.0.0.0/8", "10.0.0.0/16/16", "2001:db8:::/48",
    "1:2:3:4:5:6:7:8:9/128", "localhost", "10.0.0.0\n/16",
  };
  xd_cidr c;
  xd_ip ip;
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    bool ok = xd_cidr_parse(bad[i], &c);
    if(ok)
      fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
    CHECK(!ok);
  }
  CHECK(!xd_cidr_parse(NULL, &c));
  CHECK(!xd_ip_parse("10.0.0.0/16", &ip));
  CHECK(!xd_ip_parse("300.1.2.3", &ip));
  CHECK(!xd_ip_parse("", &ip));
  CHECK(!xd_ip_parse(NULL, &ip));
}

static void test_host_bits(void)
{
  CHECK_STR(fmt("10.0.20.15/24"), "10.0.20.0/24");
  CHECK_STR(fmt("10.0.255.255/16"), "10.0.0.0/16");
  CHECK_STR(fmt("10.0.0.255/31"), "10.0.0.254/31");
  CHECK_STR(fmt("10.0.0.7/29"), "10.0.0.0/29");
  CHECK_STR(fmt("255.255.255.255/1"), "128.0.0.0/1");
  CHECK_STR(fmt("1.2.3.4/0"), "0.0.0.0/0");
  CHECK_STR(fmt("2001:db8::1/64"), "2001:db8::/64");
  CHECK_STR(fmt("2001:db8:ffff:ffff::/33"), "2001:db8:8000::/33");
}

static void test_contains_overlaps(void)
{
  xd_cidr vpc = C("10.0.0.0/16"), sub = C("10.0.20.0/24");
  xd_cidr emr = C("2.0.0.0/16"), any = C("0.0.0.0/0"), v6 = C("::/0");
  xd_cidr v6net = C("2001:db8::/32"), v6sub = C("2001:db8:1::/48");
  xd_ip studio = I("10.0.20.15"), primary = I("2.0.1.10"), ip6 = I("2001:db8::5");

  CHECK(xd_cidr_contains(&vpc, &sub));
  CHECK(!xd_cidr_contains(&sub, &vpc));
  CHECK(xd_cidr_contains(&vpc, &vpc));
  CHECK(xd_cidr_contains(&any, &emr));
  CHECK(!xd_cidr_contains(&emr, &sub));
  CHECK(xd_cidr_contains(&v6net, &v6sub));
  CHECK(!xd_cidr_contains(&v6sub, &v6net));

  CHECK(xd_cidr_contains_ip(&sub, &studio));
  CHECK(xd_cidr_contains_ip(&vpc, &studio));
  CHECK(!xd_cidr_contains_ip(&emr, &studio));
  CHECK(xd_cidr_contains_ip(&emr, &primary));
  {
    xd_cidr slash23 = C("10.0.20.0/23"), next = C("10.0.22.0/23");
    xd_ip edge = I("10.0.21.255"), past = I("10.0.22.0");
    CHECK(xd_cidr_contains_ip(&slash23, &edge));
    CHECK(!xd_cidr_contains_ip(&slash23, &past));
    CHECK(!xd_cidr_overlaps(&slash23, &next));
  }
  CHECK(xd_cidr_contains_ip(&v6net, &ip6));

  CHECK(xd_cidr_overlaps(&vpc, &sub));
  CHECK(xd_cidr_overlaps(&sub, &vpc));
  CHECK(!xd_cidr_overlaps(&vpc, &emr));
  CHECK(xd_cidr_overlaps(&any, &emr));
  CHECK(xd_cidr_overlaps(&v6, &v6sub));

  /* across families: never */
  CHECK(!xd_cidr_contains(&any, &v6net));
  CHECK(!xd_cidr_contains(&v6, &vpc));
  CHECK(!xd_cidr_overlaps(&any, &v6));
  CHECK(!xd_cidr_contains_ip(&v6, &studio));
  CHECK(!xd_cidr_contains_ip(&any, &ip6));
  CHECK(!xd_ip_equal(&studio, &ip6));
  {
    xd_ip same = I("10.0.20.15");
    CHECK(xd_ip_equal(&studio, &same));
    CHECK(!xd_ip_equal(&studio, &primary));
  }
}

static void test_nth_size(void)
{
  xd_cidr c;
  /* the Amazon DNS server sits at the VPC base + 2 */
  CHECK_STR(nth("10.0.0.0/16", 2), "10.0.0.2");
  CHECK_STR(nth("2.0.0.0/16", 2), "2.0.0.2");
  CHECK_STR(nth("10.0.0.0/24", 0), "10.0.0.0");
  CHECK_STR(nth("10.0.0.0/24", 255), "10.0.0.255");
  CHECK_STR(nth("10.0.0.0/24", 256), "(none)");
  CHECK_STR(nth("10.0.0.0/16", 256), "10.0.1.0");
  CHECK_STR(nth("10.0.0.0/16", 65535), "10.0.255.255");
  CHECK_STR(nth("10.0.0.5/32", 0), "10.0.0.5");
  CHECK_STR(nth("10.0.0.5/32", 1), "(none)");
  CHECK_STR(nth("2001:db8::/64", 2), "2001:db8::2");
  CHECK_STR(nth("2001:db8::/120", 0x1ff), "(none)");
  CHECK_STR(nth("2001:db8::/64", 0x10000), "2001:db8::1:0");
  c = C("10.0.0.0/24");
  CHECK(xd_cidr_size(&c) == 256);
  c = C("0.0.0.0/0");
  CHECK(xd_cidr_size(&c) == ((uint64_t)1 << 32));
  c = C("2001:db8::/64");
  CHECK(xd_cidr_size(&c) == UINT64_MAX);
  c = C("2001:db8::/120");
  CHECK(xd_cidr_size(&c) == 256);
}

int main(void)
{
  test_parse_format();
  test_strict();
  test_host_bits();
  test_contains_overlaps();
  test_nth_size();
  return CHECK_DONE();
}
