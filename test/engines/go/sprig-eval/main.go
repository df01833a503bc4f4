// sprig-eval executes Go templates with Sprig's functions exactly as Palette and Helm do:
// text/template with sprig.TxtFuncMap(). It is the independent engine that the tests compare the
// project's own evaluation of `{{ .spectro.x | substr 0 4 }}` pipelines with, and the renderer of
// templated pack manifests (their values under .Values, as in a chart).
//
// stdin: a JSON array of {"template": "...", "data": {...}}; stdout: a JSON array with, for each
// case, {"out": "...", "utf8": true|false} (utf8 false when the output is not valid UTF-8, as a
// byte-wise substr can make it; "out" then holds the bytes as base64) or {"error": "..."}.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	Template string                 `json:"template"`
	Data     map[string]interface{} `json:"data"`
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var cases []testCase
	if err := json.Unmarshal(in, &cases); err != nil {
		fmt.Fprintln(os.Stderr, "sprig-eval: stdin must be a JSON array of {template, data}:", err)
		os.Exit(2)
	}
	out := make([]map[string]interface{}, len(cases))
	for i, c := range cases {
		out[i] = execute(c)
	}
	encoded, _ := json.Marshal(out)
	os.Stdout.Write(encoded)
}

func execute(c testCase) map[string]interface{} {
	t, err := template.New("t").Funcs(sprig.TxtFuncMap()).Parse(c.Template)
	if err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, c.Data); err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	if !utf8.Valid(buf.Bytes()) {
		return map[string]interface{}{"out": base64.StdEncoding.EncodeToString(buf.Bytes()), "utf8": false}
	}
	return map[string]interface{}{"out": buf.String(), "utf8": true}
}
