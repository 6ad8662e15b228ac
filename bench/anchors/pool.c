// Ideal-algorithm anchor for the pool bench (issue 23): `pool DIR PROCESSES MEMBERS ITERATIONS HOLD_MS` of
// TestLocks.Bench, done the best way this machine allows, so its busy % is the ceiling for any lock library here.
// PROCESSES processes share MEMBERS members through shared memory: a bitmap of free members, and in front of it
//   fifo:     a FIFO ticket semaphore (each waiter sleeps on a futex of its own ticket; a release wakes exactly the
//             oldest waiter: one wake-up per handoff, fair, no queue lock, no threads) -- the ideal algorithm;
//   fifo-ofd: the same, and the member's OFD lock file is also taken (without waiting) and released, as a lock-file
//             pool must;
//   sem:      a POSIX process-shared semaphore (futex, not fair: a releaser that asks again at once gets it back).
// Each process takes a ticket, claims a free member, stamps enter, sleeps HOLD_MS, stamps exit, gives the member back. Stamps are CLOCK_MONOTONIC, which
// .NET's Stopwatch reads too, written as DIR/pool-N.txt ("memberM enter exit", ns) like the C# harness, so
// bench/pool-gaps.py reads both. All processes start together after a barrier.
// Build: cc -O2 -pthread -o /tmp/pool-anchor bench/anchors/pool.c
// Run:   /tmp/pool-anchor fifo|fifo-ofd|sem DIR 8 4 25 20 && python3 bench/pool-gaps.py DIR
#define _GNU_SOURCE
#include <fcntl.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

static long long now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static int lk(int fd, short type, int cmd) { struct flock f = {0}; f.l_type = type; f.l_whence = SEEK_SET; return fcntl(fd, cmd, &f); }

struct shared { sem_t free; atomic_uint members; atomic_int ready; atomic_int go; atomic_long next, granted; atomic_int turn[64]; };

static void futex_wait(atomic_int *at, int seen) { syscall(SYS_futex, at, FUTEX_WAIT, seen, NULL, NULL, 0); }
static void futex_wake(atomic_int *at) { syscall(SYS_futex, at, FUTEX_WAKE, 1, NULL, NULL, 0); }

// Ticket t may go once t < granted; ticket t sleeps on turn[t % 64] until it reads (int)t + 1 there.
static void fifo_enter(struct shared *s) {
  long t = atomic_fetch_add(&s->next, 1);
  atomic_int *at = &s->turn[t % 64];
  while (t >= atomic_load(&s->granted)) {
    int seen = atomic_load(at);
    if (seen == (int)t + 1) break;
    futex_wait(at, seen);
  }
}

static void fifo_leave(struct shared *s) {
  long g = atomic_fetch_add(&s->granted, 1); // ticket g may go now
  atomic_store(&s->turn[g % 64], (int)g + 1);
  futex_wake(&s->turn[g % 64]);
}

int main(int argc, char **argv) {
  if (argc < 7) { fprintf(stderr, "usage: pool fifo|fifo-ofd|sem DIR PROCESSES MEMBERS ITERATIONS HOLD_MS\n"); return 2; }
  int sem = !strcmp(argv[1], "sem"), ofd = !strcmp(argv[1], "fifo-ofd");
  if (!sem && !ofd && strcmp(argv[1], "fifo")) { fprintf(stderr, "mode: fifo, fifo-ofd or sem\n"); return 2; }
  const char *dir = argv[2];
  int processes = atoi(argv[3]), members = atoi(argv[4]), iterations = atoi(argv[5]), hold_ms = atoi(argv[6]);
  if (members < 1 || members > 32) { fprintf(stderr, "1 to 32 members\n"); return 2; }
  struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  sem_init(&s->free, 1, members);
  atomic_store(&s->granted, members);
  atomic_store(&s->members, members == 32 ? ~0u : (1u << members) - 1);
  for (int p = 0; p < processes; p++) {
    if (fork() != 0) continue;
    int fds[32];
    for (int m = 0; m < members; m++) {
      char path[4096]; snprintf(path, sizeof path, "%s/member%d", dir, m + 1);
      fds[m] = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fds[m] < 0) { perror(path); _exit(1); }
    }
    long long (*stamps)[3] = calloc(iterations, sizeof *stamps);
    atomic_fetch_add(&s->ready, 1);
    while (!atomic_load(&s->go)) usleep(100);
    struct timespec hold = { hold_ms / 1000, (hold_ms % 1000) * 1000000L };
    for (int i = 0; i < iterations; i++) {
      if (sem) while (sem_wait(&s->free) != 0) {}
      else fifo_enter(s);
      unsigned free_set = atomic_load(&s->members), m;
      do m = __builtin_ctz(free_set); while (!atomic_compare_exchange_weak(&s->members, &free_set, free_set & ~(1u << m)));
      if (ofd && lk(fds[m], F_WRLCK, F_OFD_SETLK) != 0) { perror("member busy"); _exit(1); }
      stamps[i][0] = m; stamps[i][1] = now_ns();
      nanosleep(&hold, NULL);
      stamps[i][2] = now_ns();
      if (ofd) lk(fds[m], F_UNLCK, F_OFD_SETLK);
      atomic_fetch_or(&s->members, 1u << m);
      if (sem) sem_post(&s->free);
      else fifo_leave(s);
    }
    char path[4096]; snprintf(path, sizeof path, "%s/pool-%d.txt", dir, p);
    FILE *out = fopen(path, "w");
    for (int i = 0; i < iterations; i++) fprintf(out, "member%lld %lld %lld\n", stamps[i][0] + 1, stamps[i][1], stamps[i][2]);
    fclose(out);
    _exit(0);
  }
  while (atomic_load(&s->ready) < processes) usleep(1000);
  atomic_store(&s->go, 1);
  int failed = 0, status;
  while (wait(&status) > 0) failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
  return failed;
}
