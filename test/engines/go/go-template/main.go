// go-template renders texts as Go templates with sprig's functions (text/template and
// sprig.TxtFuncMap, as Palette documents for its templates), with the given values as .Values: the
// independent renderer that templated pack manifests in generated charts are compared with.
//
// stdin: a JSON array of {"template": "...", "values": {...}}; stdout: a JSON array with, for each,
// {"text": "..."} or {"error": "..."}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/template"

	"github.com/Masterminds/sprig"
)

type request struct {
	Template string                 `json:"template"`
	Values   map[string]interface{} `json:"values"`
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var requests []request
	if err := json.Unmarshal(in, &requests); err != nil {
		fmt.Fprintln(os.Stderr, "go-template: stdin must be a JSON array of {template, values}:", err)
		os.Exit(2)
	}
	out := make([]map[string]string, len(requests))
	for i, r := range requests {
		t, err := template.New("manifest").Funcs(sprig.TxtFuncMap()).Parse(r.Template)
		if err != nil {
			out[i] = map[string]string{"error": err.Error()}
			continue
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, map[string]interface{}{"Values": r.Values}); err != nil {
			out[i] = map[string]string{"error": err.Error()}
			continue
		}
		out[i] = map[string]string{"text": buf.String()}
	}
	encoded, _ := json.Marshal(out)
	os.Stdout.Write(encoded)
}
