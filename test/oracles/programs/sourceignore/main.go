// The sourceignore oracle: what source-controller v1.9.5 (Flux 2.9) puts in a GitRepository or
// OCIRepository artifact, for src/flux/source/source-fs.ts.
//
// Usage: sourceignore DIR [IGNORE_FILE]
//
// It loads the ignore patterns exactly as internal/controller/gitrepository_controller.go
// (reconcileArtifact) does, with fluxcd/pkg/sourceignore v0.18.0 (the version source-controller
// v1.9.5 requires): LoadIgnorePatterns over the tree, then spec.ignore (the text of IGNORE_FILE,
// when given) appended. The filter and the walk are fluxcd/pkg/artifact v0.18.x storage
// SourceIgnoreFilter and Archive (artifact/storage/archive.go), copied below line for line
// because that module version is not on the module proxy. Printed: the tree the artifact
// extracts to, one path per line, sorted, folders with a trailing '/': the tar entries Archive
// writes, and the folders of re-included files whose own entry was filtered out (extracting
// creates them, fluxcd/pkg/tar Untar's MkdirAll of each entry's parent).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fluxcd/pkg/sourceignore"
	"github.com/fluxcd/pkg/sourceignore/gitignore"
)

// ArchiveFileFilter and SourceIgnoreFilter: fluxcd/pkg artifact/storage/archive.go.
type ArchiveFileFilter func(p string, fi os.FileInfo) bool

func SourceIgnoreFilter(ps []gitignore.Pattern, domain []string) ArchiveFileFilter {
	matcher := sourceignore.NewDefaultMatcher(ps, domain)
	if len(ps) > 0 {
		ps = append(sourceignore.VCSPatterns(domain), ps...)
		matcher = sourceignore.NewMatcher(ps)
	}
	return func(p string, fi os.FileInfo) bool {
		return matcher.Match(strings.Split(p, string(filepath.Separator)), fi.IsDir())
	}
}

// entries is Storage.Archive's walk, with the tar writing replaced by collecting the names.
func entries(dir string, filter ArchiveFileFilter) ([]string, error) {
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		// Ignore anything that is not a file or directories e.g. symlinks
		if m := fi.Mode(); !(m.IsRegular() || m.IsDir()) {
			return nil
		}
		// Skip filtered files
		if filter != nil && filter(p, fi) {
			return nil
		}
		relFilePath := p
		if filepath.IsAbs(dir) {
			relFilePath, err = filepath.Rel(dir, p)
			if err != nil {
				return err
			}
		}
		if relFilePath == "." {
			return nil
		}
		if fi.IsDir() {
			relFilePath += "/"
		}
		out = append(out, filepath.ToSlash(relFilePath))
		return nil
	})
	return out, err
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: sourceignore DIR [IGNORE_FILE]")
		os.Exit(2)
	}
	dir, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// gitrepository_controller.go reconcileArtifact:
	ignoreDomain := strings.Split(dir, string(filepath.Separator))
	ps, err := sourceignore.LoadIgnorePatterns(dir, ignoreDomain)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(os.Args) == 3 {
		text, err := os.ReadFile(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ps = append(ps, sourceignore.ReadPatterns(strings.NewReader(string(text)), ignoreDomain)...)
	}
	out, err := entries(dir, SourceIgnoreFilter(ps, ignoreDomain))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	seen := map[string]bool{}
	for _, e := range out {
		seen[e] = true
	}
	for _, e := range out {
		for d := filepath.Dir(strings.TrimSuffix(e, "/")); d != "."; d = filepath.Dir(d) {
			if !seen[d+"/"] {
				seen[d+"/"] = true
				out = append(out, d+"/")
			}
		}
	}
	sort.Strings(out)
	for _, e := range out {
		fmt.Println(e)
	}
}
