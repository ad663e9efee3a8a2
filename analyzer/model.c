#include "model.h"

#include <stdlib.h>
#include <string.h>

void az_model_free(az_model *m)
{
  for(size_t i = 0; i < m->n_owned_json; i++)
    cJSON_Delete(m->owned_json[i]);
  free(m->owned_json);
  xd_arena_free(&m->arena);
  memset(m, 0, sizeof(*m));
}
