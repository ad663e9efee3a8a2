/* probes/loop.c: one epoll set and one timer heap drive every probe.
 * Each fd has one owner at a time (a connect, a handshake, c-ares or
 * libcurl); the generation number in the epoll data lets an event that
 * was already fetched for a closed fd be told apart from one for a new
 * socket that got the same number. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "../common/timeutil.h"
#include "pr_internal.h"

#define MAX_EVENTS 256

xd_rc pr_loop_init(pr_loop *l, xd_err *e)
{
  memset(l, 0, sizeof(*l));
  l->epfd = epoll_create1(EPOLL_CLOEXEC);
  if(l->epfd < 0)
    return xd_fail(e, XD_E_NET, "epoll_create1: %s", strerror(errno));
  return XD_OK;
}

void pr_loop_free(pr_loop *l)
{
  if(l->epfd >= 0)
    close(l->epfd);
  l->epfd = -1;
  free(l->w);
  free(l->heap);
  l->w = NULL;
  l->heap = NULL;
  l->n_w = l->n_heap = l->cap_heap = 0;
}

static bool grow_watch(pr_loop *l, int fd)
{
  size_t want = (size_t)fd + 1, n;
  pr_watch *w;
  if(want <= l->n_w)
    return true;
  n = l->n_w ? l->n_w : 64;
  while(n < want)
    n *= 2;
  w = realloc(l->w, n * sizeof(*w));
  if(!w)
    return false;
  memset(w + l->n_w, 0, (n - l->n_w) * sizeof(*w));
  l->w = w;
  l->n_w = n;
  return true;
}

xd_rc pr_loop_watch(pr_loop *l, int fd, uint32_t events, pr_io_fn fn,
                    void *ud)
{
  struct epoll_event ev;
  pr_watch *w;
  int op;
  if(fd < 0)
    return XD_E_INVALID;
  if(!grow_watch(l, fd))
    return XD_E_NOMEM;
  w = &l->w[fd];
  op = w->fn ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if(!w->fn)
    w->gen++;
  memset(&ev, 0, sizeof(ev));
  ev.events = events;
  ev.data.u64 = ((uint64_t)w->gen << 32) | (uint32_t)fd;
  if(epoll_ctl(l->epfd, op, fd, &ev) != 0) {
    /* the table and the kernel disagree only if an owner closed an fd
     * without unwatching it; the other operation then succeeds */
    op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if(epoll_ctl(l->epfd, op, fd, &ev) != 0)
      return XD_E_NET;
  }
  w->fn = fn;
  w->ud = ud;
  w->events = events;
  return XD_OK;
}

void pr_loop_unwatch(pr_loop *l, int fd)
{
  if(fd < 0 || (size_t)fd >= l->n_w || !l->w[fd].fn)
    return;
  epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
  l->w[fd].fn = NULL;
  l->w[fd].ud = NULL;
  l->w[fd].events = 0;
}

/* ---- timers: a binary min-heap on at_ms ----------------------------- */

static void heap_swap(pr_loop *l, size_t a, size_t b)
{
  pr_timer *t = l->heap[a];
  l->heap[a] = l->heap[b];
  l->heap[b] = t;
  l->heap[a]->slot = a + 1;
  l->heap[b]->slot = b + 1;
}

static void heap_up(pr_loop *l, size_t i)
{
  while(i > 0) {
    size_t p = (i - 1) / 2;
    if(l->heap[p]->at_ms <= l->heap[i]->at_ms)
      break;
    heap_swap(l, p, i);
    i = p;
  }
}

static void heap_down(pr_loop *l, size_t i)
{
  for(;;) {
    size_t c = 2 * i + 1, m = i;
    if(c < l->n_heap && l->heap[c]->at_ms < l->heap[m]->at_ms)
      m = c;
    if(c + 1 < l->n_heap && l->heap[c + 1]->at_ms < l->heap[m]->at_ms)
      m = c + 1;
    if(m == i)
      break;
    heap_swap(l, i, m);
    i = m;
  }
}

void pr_timer_disarm(pr_loop *l, pr_timer *t)
{
  size_t i;
  if(!t->slot)
    return;
  i = t->slot - 1;
  t->slot = 0;
  l->n_heap--;
  if(i == l->n_heap)
    return;
  l->heap[i] = l->heap[l->n_heap];
  l->heap[i]->slot = i + 1;
  heap_up(l, i);
  heap_down(l, i);
}

void pr_timer_arm(pr_loop *l, pr_timer *t, double at_ms)
{
  pr_timer_disarm(l, t);
  if(l->n_heap == l->cap_heap) {
    size_t n = l->cap_heap ? l->cap_heap * 2 : 64;
    pr_timer **h = realloc(l->heap, n * sizeof(*h));
    if(!h) {
      /* without a timer the probe would wait forever: fire it at once */
      t->fn(t->ud);
      return;
    }
    l->heap = h;
    l->cap_heap = n;
  }
  t->at_ms = at_ms;
  l->heap[l->n_heap] = t;
  t->slot = ++l->n_heap;
  heap_up(l, l->n_heap - 1);
}

static void run_timers(pr_loop *l)
{
  double now = xd_now_ms();
  while(l->n_heap && l->heap[0]->at_ms <= now) {
    pr_timer *t = l->heap[0];
    pr_timer_disarm(l, t);
    t->fn(t->ud);
  }
}

xd_rc pr_loop_once(pr_loop *l, double max_wait_ms, xd_err *e)
{
  struct epoll_event evs[MAX_EVENTS];
  double wait = max_wait_ms;
  int n, ms;
  if(l->n_heap) {
    double t = l->heap[0]->at_ms - xd_now_ms();
    if(t < wait)
      wait = t;
  }
  if(wait < 0)
    wait = 0;
  /* round up so a timer is not polled for repeatedly just before it is
   * due */
  ms = wait > 2e9 ? 2000000000 : (int)wait + (wait > (int)wait ? 1 : 0);
  /* every ready event before any timer: after a stall (a loaded machine,
   * a stopped process) a thousand answers may wait beside a thousand
   * expired timers, and an answer read after its timer would be reported
   * as no answer. A full batch means there may be more. */
  do {
    n = epoll_wait(l->epfd, evs, MAX_EVENTS, ms);
    if(n < 0) {
      if(errno == EINTR)
        return XD_OK;
      return xd_fail(e, XD_E_NET, "epoll_wait: %s", strerror(errno));
    }
    for(int i = 0; i < n; i++) {
      int fd = (int)(uint32_t)(evs[i].data.u64 & 0xffffffffu);
      uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
      pr_watch *w;
      if(fd < 0 || (size_t)fd >= l->n_w)
        continue;
      w = &l->w[fd];
      if(!w->fn || w->gen != gen)
        continue;
      w->fn(w->ud, fd, evs[i].events);
    }
    ms = 0;
  } while(n == MAX_EVENTS);
  run_timers(l);
  return XD_OK;
}
