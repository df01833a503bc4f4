// helm-render renders a chart folder the way Helm 3.18 installs it, for the tests to check what a
// generated chart delivers to the cluster. Each step follows Helm v3.18.4's source:
//
//   - loading (pkg/chart/loader/directory.go, load.go): every regular file under the folder except
//     those the default ignore rule `templates/.?*` skips, a leading UTF-8 BOM removed, at most 5 MiB
//     each; Chart.yaml read through sigs.k8s.io/yaml into the chart metadata (YAML 1.1: `name: null`
//     is no name, `name: yes` a bool that fails to load) and validated (pkg/chart/metadata.go);
//     `templates/...` are templates, `crds/*.{yaml,yml,json}` CRDs, every other file a chart file;
//   - rendering (pkg/engine/engine.go, funcs.go, files.go): text/template with sprig's TxtFuncMap
//     minus env/expandenv plus toYaml, fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray,
//     include, tpl, required, fail and lookup (empty, no cluster); missingkey=zero; templates parsed
//     in Helm's order, partials (`_*`) not rendered; `.Files.Get`/`.Files.Glob` (gobwas/glob with '/'
//     as separator); then every "<no value>" in a template's output is replaced by "";
//   - sorting (pkg/releaseutil/manifest_sorter.go, manifest.go, kind_sorter.go): each output split
//     with the regex `(?:^|\s*\n)---\s*`, each document's head read into SimpleHead (a parse error
//     fails the release), documents annotated `helm.sh/hook` become hooks (an unknown hook value
//     drops the document), the others sorted stably by kind in InstallOrder;
//   - reading (client-go's resource builder): each document decoded through sigs.k8s.io/yaml
//     (YAML 1.1) to JSON, as the objects sent to the API server; a CRD file that starts with '{' is
//     read as JSON (apimachinery's YAMLOrJSONDecoder), integers as int64;
//   - storing (pkg/storage/driver/util.go): the release record (chart with its files, the values,
//     the manifest, the hooks) as JSON, gzip'd at best compression, base64'd: its length is what the
//     release Secret holds.
//
// Usage: helm-render <chart-folder> [<values-file>]  (values as YAML or JSON, read with
// sigs.k8s.io/yaml as Helm and the helm provider read values: numbers become float64).
// Prints one JSON object (see `output`); exits 0 even when Helm would fail (the failure is in
// "errors"), non-zero only on bad usage. `helm-render --batch` renders several charts in one run
// (see `batch`).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"github.com/gobwas/glob"
	"sigs.k8s.io/yaml"
)

const maxFileSize = 5 * 1024 * 1024

type file struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// metadata is Helm's chart.Metadata (pkg/chart/metadata.go), JSON tags included.
type metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []interface{}     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []interface{}     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

// chart is Helm's chart.Chart as the release record stores it.
type chart struct {
	Metadata  *metadata              `json:"metadata"`
	Lock      interface{}            `json:"lock"`
	Templates []*file                `json:"templates"`
	Values    map[string]interface{} `json:"values"`
	Schema    []byte                 `json:"schema"`
	Files     []*file                `json:"files"`
}

// simpleHead is releaseutil.SimpleHead: what Helm reads of every rendered document.
type simpleHead struct {
	Version  string `json:"apiVersion"`
	Kind     string `json:"kind,omitempty"`
	Metadata *struct {
		Name        string            `json:"name"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata,omitempty"`
}

// document is one rendered document and what Kubernetes reads from it.
type document struct {
	// Source is the template (`<chart>/templates/x.yaml`) or CRD file it came from.
	Source string `json:"source"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	// Text is the document as Helm sends it (after the split and TrimSpace).
	Text string `json:"text"`
	// JSON is the object as sigs.k8s.io/yaml reads Text, as JSON text (keys sorted, integers exact);
	// Error is its parse error.
	JSON  *string `json:"json,omitempty"`
	Error string  `json:"error,omitempty"`
	// Events and Weight are a hook's.
	Events []string `json:"events,omitempty"`
	Weight *int     `json:"weight,omitempty"`
}

type output struct {
	// Chart is the loaded metadata, null when Chart.yaml does not load.
	Chart *metadata `json:"chart"`
	// Errors: why Helm would refuse the chart or fail the release (empty when it installs).
	Errors []string `json:"errors"`
	// Objects: the release manifest's documents, in install order.
	Objects []document `json:"objects"`
	// Hooks: documents Helm runs as hooks, outside the release manifest.
	Hooks []document `json:"hooks"`
	// DroppedHooks: documents whose helm.sh/hook value Helm does not know: installed nowhere.
	DroppedHooks []document `json:"droppedHooks"`
	// Crds: the documents of crds/, installed before the templates on a first install only.
	Crds []document `json:"crds"`
	// Manifest is the release manifest as Helm stores it.
	Manifest string `json:"manifest"`
	// ReleaseSize: the length of the gzip'd, base64'd release record (the Secret's data).
	ReleaseSize int `json:"releaseSize"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--batch" {
		batch()
		return
	}
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: helm-render <chart-folder> [<values-file>] | helm-render --batch")
		os.Exit(2)
	}
	var text []byte
	if len(os.Args) == 3 {
		data, err := os.ReadFile(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		text = data
	}
	values, err := readValues(text)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-render: values:", err)
		os.Exit(2)
	}
	write(render(os.Args[1], values))
}

// batch renders several charts in one process: stdin is a JSON array of {"chart": folder,
// "values": text or null}; stdout a JSON array of outputs.
func batch() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var requests []struct {
		Chart  string  `json:"chart"`
		Values *string `json:"values"`
	}
	if err := json.Unmarshal(in, &requests); err != nil {
		fmt.Fprintln(os.Stderr, "helm-render: stdin must be a JSON array of {chart, values}:", err)
		os.Exit(2)
	}
	outs := make([]output, len(requests))
	for i, r := range requests {
		var text []byte
		if r.Values != nil {
			text = []byte(*r.Values)
		}
		values, err := readValues(text)
		if err != nil {
			fmt.Fprintf(os.Stderr, "helm-render: values of %s: %s\n", r.Chart, err)
			os.Exit(2)
		}
		outs[i] = render(r.Chart, values)
	}
	write(outs)
}

// readValues reads values as the helm provider and Helm do: sigs.k8s.io/yaml, numbers as float64.
func readValues(text []byte) (map[string]interface{}, error) {
	values := map[string]interface{}{}
	if err := yaml.Unmarshal(text, &values); err != nil {
		return nil, err
	}
	if values == nil {
		values = map[string]interface{}{}
	}
	return values, nil
}

func write(v interface{}) {
	encoded, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Stdout.Write(encoded)
}

func render(dir string, values map[string]interface{}) output {
	out := output{Errors: []string{}, Objects: []document{}, Hooks: []document{}, DroppedHooks: []document{}, Crds: []document{}}
	c, err := load(dir)
	if c != nil {
		out.Chart = c.Metadata
	}
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
		return out
	}
	for _, f := range c.Files {
		if strings.HasPrefix(f.Name, "crds/") && hasManifestExtension(f.Name) {
			out.Crds = append(out.Crds, readCrd(f))
		}
	}
	rendered, err := renderTemplates(c, values)
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
		return out
	}
	manifests, hooks, dropped, err := sortManifests(rendered)
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
		return out
	}
	var manifest strings.Builder
	for _, m := range manifests {
		fmt.Fprintf(&manifest, "---\n# Source: %s\n%s\n", m.Source, m.Text)
	}
	out.Objects, out.Hooks, out.DroppedHooks = manifests, hooks, dropped
	out.Manifest = manifest.String()
	size, err := releaseSize(c, values, out.Manifest, hooks)
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
	}
	out.ReleaseSize = size
	return out
}

// load reads a chart folder as loader.LoadDir and loader.LoadFiles do (no .helmignore, no subcharts).
func load(dir string) (*chart, error) {
	top, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(top, ".helmignore")); err == nil {
		return nil, errors.New("helm-render: .helmignore is not modelled")
	}
	var files []*file
	walk := func(name string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		n := strings.TrimPrefix(name, top+string(filepath.Separator))
		if name == top {
			return nil
		}
		n = filepath.ToSlash(n)
		if ignored(n) {
			if fi.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if fi.IsDir() {
			return nil
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("cannot load irregular file %s as it has file mode type bits set", name)
		}
		if fi.Size() > maxFileSize {
			return fmt.Errorf("chart file %q is larger than the maximum file size %d", fi.Name(), maxFileSize)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("error reading %s: %w", n, err)
		}
		files = append(files, &file{Name: n, Data: bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))})
		return nil
	}
	if err := filepath.Walk(top, walk); err != nil {
		return nil, err
	}
	c := &chart{}
	for _, f := range files {
		if f.Name == "Chart.yaml" {
			c.Metadata = &metadata{}
			if err := yaml.Unmarshal(f.Data, c.Metadata); err != nil {
				c.Metadata = nil
				return c, fmt.Errorf("cannot load Chart.yaml: %w", err)
			}
			if c.Metadata.APIVersion == "" {
				c.Metadata.APIVersion = "v1"
			}
		}
	}
	for _, f := range files {
		switch {
		case f.Name == "Chart.yaml":
		case f.Name == "values.yaml":
			c.Values = map[string]interface{}{}
			if err := yaml.Unmarshal(f.Data, &c.Values); err != nil {
				return c, fmt.Errorf("cannot load values.yaml: %w", err)
			}
		case f.Name == "values.schema.json":
			c.Schema = f.Data
		case strings.HasPrefix(f.Name, "templates/"):
			c.Templates = append(c.Templates, f)
		case strings.HasPrefix(f.Name, "charts/"):
			return c, errors.New("helm-render: subcharts are not modelled")
		default:
			c.Files = append(c.Files, f)
		}
	}
	if c.Metadata == nil {
		return c, errors.New("Chart.yaml file is missing")
	}
	return c, validate(c.Metadata)
}

// ignored is the default ignore rule (ignore.AddDefaults): `templates/.?*`, matched with filepath.Match.
func ignored(name string) bool {
	ok, _ := filepath.Match("templates/.?*", name)
	return ok
}

// validate is chart.Metadata.Validate.
func validate(md *metadata) error {
	md.Name = sanitize(md.Name)
	md.Description = sanitize(md.Description)
	md.Home = sanitize(md.Home)
	md.Icon = sanitize(md.Icon)
	md.Condition = sanitize(md.Condition)
	md.Tags = sanitize(md.Tags)
	md.AppVersion = sanitize(md.AppVersion)
	md.KubeVersion = sanitize(md.KubeVersion)
	if md.APIVersion == "" {
		return errors.New("validation: chart.metadata.apiVersion is required")
	}
	if md.Name == "" {
		return errors.New("validation: chart.metadata.name is required")
	}
	if md.Name != filepath.Base(md.Name) {
		return fmt.Errorf("validation: chart.metadata.name %q is invalid", md.Name)
	}
	if md.Version == "" {
		return errors.New("validation: chart.metadata.version is required")
	}
	if _, err := semver.NewVersion(md.Version); err != nil {
		return fmt.Errorf("validation: chart.metadata.version %q is invalid", md.Version)
	}
	switch md.Type {
	case "", "application", "library":
	default:
		return errors.New("validation: chart.metadata.type must be application or library")
	}
	return nil
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
}

func hasManifestExtension(name string) bool {
	ext := filepath.Ext(name)
	return strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml") || strings.EqualFold(ext, ".json")
}

// files is engine.files: .Files in templates.
type files map[string][]byte

func (f files) GetBytes(name string) []byte {
	if v, ok := f[name]; ok {
		return v
	}
	return []byte{}
}

func (f files) Get(name string) string { return string(f.GetBytes(name)) }

func (f files) Glob(pattern string) files {
	g, err := glob.Compile(pattern, '/')
	if err != nil {
		g, _ = glob.Compile("**")
	}
	nf := files{}
	for name, contents := range f {
		if g.Match(name) {
			nf[name] = contents
		}
	}
	return nf
}

func (f files) AsConfig() string {
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return toYAML(m)
}

const warnStart, warnEnd = "HELM_ERR_START", "HELM_ERR_END"

var warnRegex = regexp.MustCompile(warnStart + `((?s).*)` + warnEnd)

// renderTemplates is engine.Engine.Render for a chart without subcharts, not strict, not linting.
func renderTemplates(c *chart, values map[string]interface{}) (rendered map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	fileMap := files{}
	for _, f := range c.Files {
		fileMap[f.Name] = f.Data
	}
	merged := map[string]interface{}{}
	for k, v := range c.Values {
		merged[k] = v
	}
	for k, v := range values {
		merged[k] = v
	}
	chartValue := struct {
		metadata
		IsRoot bool
	}{*c.Metadata, true}
	top := map[string]interface{}{
		"Chart":        chartValue,
		"Files":        fileMap,
		"Release":      map[string]interface{}{"Name": c.Metadata.Name, "Namespace": "default", "Revision": 1, "IsUpgrade": false, "IsInstall": true, "Service": "Helm"},
		"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.31.0", "Major": "1", "Minor": "31"}},
		"Values":       merged,
		"Subcharts":    map[string]interface{}{},
	}
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	initFuncMap(t)
	tpls := map[string]string{}
	var keys []string
	for _, f := range c.Templates {
		name := path.Join(c.Metadata.Name, f.Name)
		tpls[name] = string(f.Data)
		keys = append(keys, name)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca == cb {
			return a > b
		}
		return ca > cb
	})
	for _, name := range keys {
		if _, err := t.New(name).Parse(tpls[name]); err != nil {
			return nil, fmt.Errorf("parse error in (%s): %s", name, err)
		}
	}
	rendered = map[string]string{}
	for _, name := range keys {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := map[string]interface{}{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Join(c.Metadata.Name, "templates")}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			if parts := warnRegex.FindStringSubmatch(err.Error()); len(parts) >= 2 {
				return nil, fmt.Errorf("execution error in (%s): %s", name, parts[1])
			}
			return nil, err
		}
		rendered[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return rendered, nil
}

func initFuncMap(t *template.Template) {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	f["getHostByName"] = func(string) string { return "" }
	included := map[string]int{}
	f["include"] = includeFun(t, included)
	f["tpl"] = tplFun(t, included)
	f["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warnStart + warn + warnEnd)
		}
		if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warnStart + warn + warnEnd)
		}
		return val, nil
	}
	f["fail"] = func(msg string) (string, error) { return "", errors.New(warnStart + msg + warnEnd) }
	t.Funcs(f)
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func includeFun(t *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if included[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		included[name]++
		err := t.ExecuteTemplate(&buf, name, data)
		included[name]--
		return buf.String(), err
	}
}

func tplFun(parent *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(tpl string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", err
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{"include": includeFun(t, included), "tpl": tplFun(t, included)})
		t, err = t.New(parent.Name()).Parse(tpl)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", tpl, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", tpl, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

var separator = regexp.MustCompile("(?:^|\\s*\n)---\\s*")

// splitManifests is releaseutil.SplitManifests, returning the documents in order.
func splitManifests(big string) []string {
	var docs []string
	for _, d := range separator.Split(strings.TrimSpace(big), -1) {
		if d == "" {
			continue
		}
		docs = append(docs, strings.TrimSpace(d))
	}
	return docs
}

var hookEvents = map[string]string{
	"pre-install": "pre-install", "post-install": "post-install", "pre-delete": "pre-delete", "post-delete": "post-delete",
	"pre-upgrade": "pre-upgrade", "post-upgrade": "post-upgrade", "pre-rollback": "pre-rollback", "post-rollback": "post-rollback",
	"test": "test", "test-success": "test",
}

var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
	"ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
	"RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
	"Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
}

// sortManifests is releaseutil.SortManifests with InstallOrder, each document also read as Kubernetes reads it.
func sortManifests(rendered map[string]string) (manifests, hooks, dropped []document, err error) {
	manifests, hooks, dropped = []document{}, []document{}, []document{}
	var names []string
	for name := range rendered {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		content := rendered[name]
		if strings.HasPrefix(path.Base(name), "_") || strings.TrimSpace(content) == "" {
			continue
		}
		for _, text := range splitManifests(content) {
			var head simpleHead
			if err := yaml.Unmarshal([]byte(text), &head); err != nil {
				return nil, nil, nil, fmt.Errorf("YAML parse error on %s: %w", name, err)
			}
			doc := readDocument(name, text)
			doc.Kind = head.Kind
			if head.Metadata != nil {
				doc.Name = head.Metadata.Name
			}
			if head.Metadata == nil || len(head.Metadata.Annotations) == 0 {
				manifests = append(manifests, doc)
				continue
			}
			hookTypes, ok := head.Metadata.Annotations["helm.sh/hook"]
			if !ok {
				manifests = append(manifests, doc)
				continue
			}
			weight, err := strconv.Atoi(head.Metadata.Annotations["helm.sh/hook-weight"])
			if err != nil {
				weight = 0
			}
			doc.Weight = &weight
			doc.Events = []string{}
			unknown := false
			for _, hookType := range strings.Split(hookTypes, ",") {
				event, ok := hookEvents[strings.ToLower(strings.TrimSpace(hookType))]
				if !ok {
					unknown = true
					break
				}
				doc.Events = append(doc.Events, event)
			}
			if unknown {
				dropped = append(dropped, doc)
				continue
			}
			hooks = append(hooks, doc)
		}
	}
	byKind := func(list []document) {
		sort.SliceStable(list, func(i, j int) bool { return lessByKind(list[i].Kind, list[j].Kind) })
	}
	byKind(manifests)
	byKind(hooks)
	return manifests, hooks, dropped, nil
}

// lessByKind is releaseutil's lessByKind with InstallOrder.
func lessByKind(a, b string) bool {
	order := map[string]int{}
	for i, k := range installOrder {
		order[k] = i
	}
	first, aok := order[a]
	second, bok := order[b]
	if !aok && !bok {
		if a != b {
			return a < b
		}
		return first < second
	}
	if !aok {
		return false
	}
	if !bok {
		return true
	}
	return first < second
}

// readDocument reads a rendered document as client-go sends it: sigs.k8s.io/yaml to JSON.
func readDocument(source, text string) document {
	doc := document{Source: source, Text: text}
	converted, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		doc.Error = err.Error()
		return doc
	}
	text = string(converted)
	doc.JSON = &text
	return doc
}

// readCrd reads a crds/ file as Helm's installCRDs does through the resource builder: a file that
// starts with '{' is a JSON stream (integers kept as int64), any other is YAML.
func readCrd(f *file) document {
	text := string(f.Data)
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(trimmed, "{") {
		doc := readDocument(f.Name, strings.TrimSpace(text))
		return withHead(doc)
	}
	doc := document{Source: f.Name, Text: strings.TrimSpace(text)}
	decoder := json.NewDecoder(strings.NewReader(text))
	decoder.UseNumber()
	var value interface{}
	if err := decoder.Decode(&value); err != nil {
		doc.Error = err.Error()
		return doc
	}
	if _, err := decoder.Token(); err != io.EOF {
		doc.Error = "helm-render: more than one JSON value in a crds/ file is not modelled"
		return doc
	}
	encoded, err := json.Marshal(numbers(value))
	if err != nil {
		doc.Error = err.Error()
		return doc
	}
	text = string(encoded)
	doc.JSON = &text
	return withHead(doc)
}

func withHead(doc document) document {
	if doc.JSON == nil {
		return doc
	}
	var head struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if json.Unmarshal([]byte(*doc.JSON), &head) == nil {
		doc.Kind, doc.Name = head.Kind, head.Metadata.Name
	}
	return doc
}

// numbers turns json.Numbers into int64 where they are integers, else float64, as apimachinery's
// unstructured JSON decoding does.
func numbers(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]interface{}:
		for k, inner := range t {
			t[k] = numbers(inner)
		}
	case []interface{}:
		for i, inner := range t {
			t[i] = numbers(inner)
		}
	}
	return v
}

type hookRecord struct {
	Name     string   `json:"name,omitempty"`
	Kind     string   `json:"kind,omitempty"`
	Path     string   `json:"path,omitempty"`
	Manifest string   `json:"manifest,omitempty"`
	Events   []string `json:"events,omitempty"`
	LastRun  struct {
		StartedAt   time.Time `json:"started_at,omitempty"`
		CompletedAt time.Time `json:"completed_at,omitempty"`
		Phase       string    `json:"phase"`
	} `json:"last_run,omitempty"`
	Weight int `json:"weight,omitempty"`
}

// releaseSize is the length of storage/driver's encodeRelease of the release an install records.
func releaseSize(c *chart, values map[string]interface{}, manifest string, hooks []document) (int, error) {
	deployed := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hookRecords := []*hookRecord{}
	for _, h := range hooks {
		hookRecords = append(hookRecords, &hookRecord{Name: h.Name, Kind: h.Kind, Path: h.Source, Manifest: h.Text, Events: h.Events, Weight: *h.Weight})
	}
	record := map[string]interface{}{
		"name": c.Metadata.Name,
		"info": map[string]interface{}{
			"first_deployed": deployed, "last_deployed": deployed, "deleted": time.Time{},
			"description": "Install complete", "status": "deployed",
		},
		"chart":     c,
		"manifest":  manifest,
		"version":   1,
		"namespace": "default",
	}
	// Release.Config and Release.Hooks are omitempty.
	if len(values) > 0 {
		record["config"] = values
	}
	if len(hookRecords) > 0 {
		record["hooks"] = hookRecords
	}
	encoded, err := json.Marshal(record)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := w.Write(encoded); err != nil {
		return 0, err
	}
	w.Close()
	return base64.StdEncoding.EncodedLen(buf.Len()), nil
}
