/* tests/fuzz/fuzz_intent.c: the intent file (xacct-doctor.json, the
 * --config file), read by az_intent_load from a real file as the program
 * does. Every input must end in success or in an error that says
 * something; a success must hold only what the contract allows (12-digit
 * accounts, ports 1..65535). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/intent.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char path[600];
  az_intent in;
  xd_err e = {0};
  if(!path[0])
    snprintf(path, sizeof(path), "%s/xacct-doctor.json", fz_tmpdir("intent"));
  fz_write(path, data, size);
  memset(&in, 0xA5, sizeof(in)); /* the loader must not trust *out */
  if(az_intent_load(path, &in, &e) != XD_OK) {
    if(!e.msg[0])
      abort(); /* every error must say something */
    return 0;
  }
  if(in.studio.account && !az_is_account_id(in.studio.account))
    abort();
  for(size_t i = 0; i < in.n_emr; i++)
    if(in.emr[i].account && !az_is_account_id(in.emr[i].account))
      abort();
  for(size_t i = 0; i < in.n_ports; i++)
    if(in.ports[i] < 1 || in.ports[i] > 65535)
      abort();
  az_intent_free(&in);
  return 0;
}
