#pragma once
// Gives memory that bulk work freed back to the system. glibc keeps freed heap pages and a
// heap per thread for reuse, so after a year's backfill or an import a process that uses
// 25 MB can hold 400 MB: on a 512 MB Raspberry Pi that is as bad as a leak.

namespace meterd {

// Call once at start, before any thread: at most two malloc arenas, however many threads
// (sources, sinks, HTTP workers) allocate, and blocks of a few megabytes kept in the heap
// between uses (see memory_release.cpp).
void configure_malloc();

// Call when a burst of work is over (a sink went idle after consuming); returns freed heap
// pages to the system, at most once every few seconds for the whole process.
void release_free_memory();

}  // namespace meterd
