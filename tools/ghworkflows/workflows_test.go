package ghworkflows

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// repoRoot is where the test finds the workflows: go test runs in this package's directory.
const repoRoot = "../.."

// minTerraform is the oldest Terraform CLI the matrix may test: provider-defined functions need 1.8.
const minTerraform = "1.8"

var (
	pinnedUses   = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$`)
	versionNote  = regexp.MustCompile(`^# v\d+\.\d+\.\d+$`)
	matrixMinor  = regexp.MustCompile(`^(\d+)\.(\d+)(\.[0-9*]+)?$`)
	scriptPinned = regexp.MustCompile(`(?m)^GORELEASER_VERSION="?(v[0-9][0-9.]*)"?`)
)

type workflow struct {
	Name        string            `yaml:"name"`
	On          yaml.Node         `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]job    `yaml:"jobs"`
}

type job struct {
	RunsOn   string `yaml:"runs-on"`
	Strategy struct {
		Matrix map[string]any `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []step `yaml:"steps"`
}

type step struct {
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// usesRef is one `uses:` value with the comment on its line (`# vX.Y.Z` names the pinned release).
type usesRef struct {
	line    int
	value   string
	comment string
}

func parseWorkflow(data []byte) (workflow, []usesRef, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return workflow{}, nil, fmt.Errorf("parsing YAML: %w", err)
	}
	var wf workflow
	if err := root.Decode(&wf); err != nil {
		return workflow{}, nil, fmt.Errorf("decoding workflow: %w", err)
	}
	return wf, collectUses(&root, nil), nil
}

func collectUses(n *yaml.Node, refs []usesRef) []usesRef {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			if key.Value == "uses" && value.Kind == yaml.ScalarNode {
				refs = append(refs, usesRef{line: value.Line, value: value.Value, comment: value.LineComment})
			}
		}
	}
	for _, child := range n.Content {
		refs = collectUses(child, refs)
	}
	return refs
}

// structureProblems lists what GitHub would reject or silently skip: missing name/on/jobs, jobs without
// runs-on or steps, steps that are neither `uses` nor `run`.
func structureProblems(wf workflow) []string {
	var problems []string
	if wf.Name == "" {
		problems = append(problems, "missing top-level name")
	}
	if wf.On.Kind == 0 || (wf.On.Kind == yaml.MappingNode && len(wf.On.Content) == 0) {
		problems = append(problems, "missing top-level on (no trigger)")
	}
	if len(wf.Jobs) == 0 {
		problems = append(problems, "missing jobs")
	}
	for name, j := range wf.Jobs {
		if j.RunsOn == "" {
			problems = append(problems, fmt.Sprintf("job %s: missing runs-on", name))
		}
		if len(j.Steps) == 0 {
			problems = append(problems, fmt.Sprintf("job %s: no steps", name))
		}
		for i, s := range j.Steps {
			if (s.Uses == "") == (s.Run == "") {
				problems = append(problems, fmt.Sprintf("job %s step %d: needs exactly one of uses or run", name, i+1))
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// pinProblems lists every action not pinned to a full commit SHA with a `# vX.Y.Z` comment: a tag can be
// moved by whoever controls the action's repository, a SHA cannot.
func pinProblems(refs []usesRef) []string {
	var problems []string
	for _, r := range refs {
		if !pinnedUses.MatchString(r.value) {
			problems = append(problems, fmt.Sprintf("line %d: %q is not pinned to a 40-hex commit SHA", r.line, r.value))
			continue
		}
		if !versionNote.MatchString(r.comment) {
			problems = append(problems, fmt.Sprintf("line %d: %q lacks a `# vX.Y.Z` comment naming the release", r.line, r.value))
		}
	}
	return problems
}

func loadWorkflow(t *testing.T, name string) (workflow, []usesRef) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github", "workflows", name))
	if err != nil {
		t.Fatalf("reading workflow: %v", err)
	}
	wf, refs, err := parseWorkflow(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return wf, refs
}

func onMap(t *testing.T, wf workflow) map[string]any {
	t.Helper()
	var on map[string]any
	if err := wf.On.Decode(&on); err != nil {
		t.Fatalf("on: expected a mapping of events: %v", err)
	}
	return on
}

// stepsUsing returns the index and step of every step that runs the given action (owner/name).
func stepsUsing(j job, action string) map[int]step {
	found := map[int]step{}
	for i, s := range j.Steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			found[i] = s
		}
	}
	return found
}

func firstStepUsing(t *testing.T, jobName string, j job, action string) (int, step) {
	t.Helper()
	for i, s := range j.Steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			return i, s
		}
	}
	t.Fatalf("job %s: no step uses %s", jobName, action)
	return -1, step{}
}

func TestWorkflowsAreWellFormedAndPinned(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"test.yml", "release.yml"} {
		if !slices.Contains(files, filepath.Join(repoRoot, ".github", "workflows", want)) {
			t.Errorf("missing .github/workflows/%s (found %v)", want, files)
		}
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			wf, refs := loadWorkflow(t, filepath.Base(path))
			for _, p := range structureProblems(wf) {
				t.Error(p)
			}
			if len(refs) == 0 {
				t.Error("no `uses:` found; the checks below would prove nothing")
			}
			for _, p := range pinProblems(refs) {
				t.Error(p)
			}
		})
	}
}

func TestTestWorkflow(t *testing.T) {
	wf, _ := loadWorkflow(t, "test.yml")
	on := onMap(t, wf)
	for _, event := range []string{"push", "pull_request"} {
		if _, ok := on[event]; !ok {
			t.Errorf("on: missing %s", event)
		}
	}

	var matrixJobs, lintJobs, labJobs, docsJobs int
	for name, j := range wf.Jobs {
		if versions, ok := j.Strategy.Matrix["terraform"]; ok {
			matrixJobs++
			for _, p := range terraformMatrixProblems(name, versions) {
				t.Error(p)
			}
			if len(stepsUsing(j, "hashicorp/setup-terraform")) == 0 {
				t.Errorf("job %s: a Terraform matrix without hashicorp/setup-terraform tests nothing", name)
			}
		}
		for _, s := range stepsUsing(j, "hashicorp/setup-terraform") {
			// The wrapper rewrites terraform's stdout; terraform-plugin-testing and tfplugindocs need the binary.
			if fmt.Sprint(s.With["terraform_wrapper"]) != "false" {
				t.Errorf("job %s: hashicorp/setup-terraform needs terraform_wrapper: false, got %v", name, s.With["terraform_wrapper"])
			}
		}
		if len(stepsUsing(j, "golangci/golangci-lint-action")) > 0 {
			lintJobs++
		}
		if runsCommand(j, "make e2e") {
			labJobs++
			if !strings.HasPrefix(j.RunsOn, "ubuntu-") {
				t.Errorf("job %s: the lab needs a Linux runner with apt-get, got runs-on %q", name, j.RunsOn)
			}
		}
		if docsThenDiff(j) {
			docsJobs++
		}
	}
	if matrixJobs == 0 {
		t.Error("no job has a strategy.matrix.terraform")
	}
	if lintJobs == 0 {
		t.Error("no job runs golangci/golangci-lint-action")
	}
	if labJobs == 0 {
		t.Error("no job runs `make e2e` (the lab)")
	}
	if docsJobs == 0 {
		t.Error("no job runs `make docs` followed by `git diff --exit-code`")
	}
}

// terraformMatrixProblems lists entries older than minTerraform, entries that are not versions, and a missing
// minTerraform entry (the oldest supported version must stay tested).
func terraformMatrixProblems(jobName string, versions any) []string {
	list, ok := versions.([]any)
	if !ok || len(list) == 0 {
		return []string{fmt.Sprintf("job %s: matrix.terraform must be a non-empty list, got %v", jobName, versions)}
	}
	var problems []string
	hasMin := false
	for _, v := range list {
		s := fmt.Sprint(v)
		m := matrixMinor.FindStringSubmatch(s)
		if m == nil {
			problems = append(problems, fmt.Sprintf("job %s: matrix.terraform entry %q is not a version like 1.8.*", jobName, s))
			continue
		}
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		if major < 1 || major == 1 && minor < 8 {
			problems = append(problems, fmt.Sprintf("job %s: matrix.terraform entry %q is older than %s (provider functions need it)", jobName, s, minTerraform))
		}
		if m[1]+"."+m[2] == minTerraform {
			hasMin = true
		}
	}
	if !hasMin {
		problems = append(problems, fmt.Sprintf("job %s: matrix.terraform %v does not include %s, the oldest supported version", jobName, list, minTerraform))
	}
	return problems
}

func runsCommand(j job, command string) bool {
	return slices.ContainsFunc(j.Steps, func(s step) bool { return strings.Contains(s.Run, command) })
}

// docsThenDiff reports whether the job regenerates docs and then fails on any difference.
func docsThenDiff(j job) bool {
	generated := false
	for _, s := range j.Steps {
		if strings.Contains(s.Run, "make docs") {
			generated = true
		}
		if generated && strings.Contains(s.Run, "git diff") && strings.Contains(s.Run, "--exit-code") {
			return true
		}
	}
	return false
}

func TestReleaseWorkflow(t *testing.T) {
	wf, _ := loadWorkflow(t, "release.yml")
	on := onMap(t, wf)
	push, _ := on["push"].(map[string]any)
	tags, _ := push["tags"].([]any)
	if !slices.ContainsFunc(tags, func(v any) bool { return fmt.Sprint(v) == "v*" }) {
		t.Errorf("on.push.tags must include 'v*', got %v", on["push"])
	}
	if wf.Permissions["contents"] != "write" {
		t.Errorf("permissions.contents must be write (a release uploads assets), got %q", wf.Permissions["contents"])
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("expected one release job, got %d", len(wf.Jobs))
	}
	for name, j := range wf.Jobs {
		checkReleaseJob(t, name, j)
	}
}

func checkReleaseJob(t *testing.T, name string, j job) {
	t.Helper()
	checkoutAt, checkout := firstStepUsing(t, name, j, "actions/checkout")
	if fmt.Sprint(checkout.With["fetch-depth"]) != "0" {
		t.Errorf("checkout needs fetch-depth: 0 (goreleaser reads the tags), got %v", checkout.With["fetch-depth"])
	}
	goAt, setupGo := firstStepUsing(t, name, j, "actions/setup-go")
	if setupGo.With["go-version-file"] != "go.mod" {
		t.Errorf("setup-go should take the Go version from go.mod, got %v", setupGo.With)
	}
	gpgAt, gpg := firstStepUsing(t, name, j, "crazy-max/ghaction-import-gpg")
	if gpg.ID == "" {
		t.Error("the GPG import step needs an id: goreleaser reads its fingerprint output")
	}
	for key, secret := range map[string]string{"gpg_private_key": "GPG_PRIVATE_KEY", "passphrase": "PASSPHRASE"} {
		if want := "${{ secrets." + secret + " }}"; gpg.With[key] != want {
			t.Errorf("GPG import: with.%s = %v, want %s", key, gpg.With[key], want)
		}
	}
	releaseAt, release := firstStepUsing(t, name, j, "goreleaser/goreleaser-action")
	if release.With["args"] != "release --clean" {
		t.Errorf("goreleaser args = %v, want \"release --clean\"", release.With["args"])
	}
	if want := "${{ secrets.GITHUB_TOKEN }}"; release.Env["GITHUB_TOKEN"] != want {
		t.Errorf("goreleaser env GITHUB_TOKEN = %q, want %s", release.Env["GITHUB_TOKEN"], want)
	}
	if want := "${{ steps." + gpg.ID + ".outputs.fingerprint }}"; release.Env["GPG_FINGERPRINT"] != want {
		t.Errorf("goreleaser env GPG_FINGERPRINT = %q, want %s (.goreleaser.yml signs with it)", release.Env["GPG_FINGERPRINT"], want)
	}
	if inOrder := checkoutAt < goAt && goAt < releaseAt && checkoutAt < gpgAt && gpgAt < releaseAt; !inOrder {
		t.Errorf("step order: checkout %d, setup-go %d, GPG import %d, goreleaser %d; goreleaser must run last",
			checkoutAt, goAt, gpgAt, releaseAt)
	}
	checkGoreleaserVersion(t, release)
}

// checkGoreleaserVersion ties the released goreleaser to the one `make release-check` exercises.
func checkGoreleaserVersion(t *testing.T, release step) {
	t.Helper()
	script, err := os.ReadFile(filepath.Join(repoRoot, "scripts", "release-check.sh"))
	if err != nil {
		t.Fatalf("reading release-check script: %v", err)
	}
	m := scriptPinned.FindSubmatch(script)
	if m == nil {
		t.Fatal("scripts/release-check.sh: no GORELEASER_VERSION=vX.Y.Z line")
	}
	if got := fmt.Sprint(release.With["version"]); got != string(m[1]) {
		t.Errorf("release.yml installs goreleaser %s but make release-check tests %s", got, m[1])
	}
}

// TestCheckersCatchBrokenWorkflows proves the checks above can fail.
func TestCheckersCatchBrokenWorkflows(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unpinned tag", "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4 # v4.2.2\n", "not pinned"},
		{"short sha", "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd719 # v4.2.2\n", "not pinned"},
		{"no version comment", "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n", "lacks a `# vX.Y.Z`"},
		{"missing runs-on", "name: x\non: push\njobs:\n  a:\n    steps:\n      - run: make\n", "missing runs-on"},
		{"missing steps", "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n", "no steps"},
		{"missing on", "name: x\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n", "missing top-level on"},
		{"missing jobs", "name: x\non: push\n", "missing jobs"},
		{"step with uses and run", "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n", "exactly one of uses or run"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wf, refs, err := parseWorkflow([]byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			problems := append(structureProblems(wf), pinProblems(refs)...)
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("want a problem containing %q, got %q", tc.want, problems)
			}
		})
	}

	t.Run("pinned with comment passes", func(t *testing.T) {
		ok := "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
		wf, refs, err := parseWorkflow([]byte(ok))
		if err != nil {
			t.Fatal(err)
		}
		if problems := append(structureProblems(wf), pinProblems(refs)...); len(problems) > 0 {
			t.Errorf("unexpected problems: %q", problems)
		}
	})

	t.Run("matrix below 1.8 is reported", func(t *testing.T) {
		problems := terraformMatrixProblems("test", []any{"1.7.*", "1.9.*"})
		for _, want := range []string{"older than 1.8", "does not include 1.8"} {
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, want) }) {
				t.Errorf("want a problem containing %q, got %q", want, problems)
			}
		}
	})
}
