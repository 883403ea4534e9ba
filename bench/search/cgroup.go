package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// memoryCgroup is a cgroup of its own the benchmark runs in, under a
// memory limit: the kernel then reclaims the page cache it would
// otherwise leave the process (the index's memory-mapped files count in
// its resident set), and the run shows what it needs rather than what it
// was left. It is made under the process's own cgroup, v1's memory
// hierarchy or v2's, and needs that to be writable (root in a container
// usually has it).
type memoryCgroup struct {
	dir, parent string
	v2          bool
}

// enterMemoryCgroup moves this process into a new cgroup limited to mb.
func enterMemoryCgroup(mb int) (*memoryCgroup, error) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	// v1's memory hierarchy if there is one, else v2's unified one.
	var cg memoryCgroup
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		switch {
		case len(parts) != 3:
		case slices.Contains(strings.Split(parts[1], ","), "memory"):
			cg.parent, cg.v2 = filepath.Join("/sys/fs/cgroup", parts[1], parts[2]), false
		case parts[0] == "0" && parts[1] == "" && cg.parent == "":
			if _, err := os.Stat("/sys/fs/cgroup/cgroup.controllers"); err == nil {
				cg.parent, cg.v2 = filepath.Join("/sys/fs/cgroup", parts[2]), true
			}
		}
	}
	if cg.parent == "" {
		return nil, errors.New("no memory cgroup found for this process")
	}
	cg.dir = filepath.Join(cg.parent, fmt.Sprintf("debrief-bench-%d", os.Getpid()))
	if err := os.Mkdir(cg.dir, 0o755); err != nil {
		return nil, err
	}
	limit := strconv.Itoa(mb << 20)
	file := "memory.limit_in_bytes"
	if cg.v2 {
		file = "memory.max"
	}
	if err := os.WriteFile(filepath.Join(cg.dir, file), []byte(limit), 0o644); err != nil {
		os.Remove(cg.dir)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(cg.dir, "cgroup.procs"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.Remove(cg.dir)
		return nil, err
	}
	return &cg, nil
}

// peakMB is the most memory the cgroup was charged, page cache included.
func (cg *memoryCgroup) peakMB() float64 {
	file := "memory.max_usage_in_bytes"
	if cg.v2 {
		file = "memory.peak"
	}
	data, err := os.ReadFile(filepath.Join(cg.dir, file))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseFloat(strings.TrimSpace(string(data)), 64)
	return n / (1 << 20)
}

// leave moves the process back and removes the cgroup.
func (cg *memoryCgroup) leave() {
	os.WriteFile(filepath.Join(cg.parent, "cgroup.procs"), []byte(strconv.Itoa(os.Getpid())), 0o644)
	os.Remove(cg.dir)
}
