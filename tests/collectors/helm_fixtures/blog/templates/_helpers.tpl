{{/*
Return the proper blog image name
*/}}
{{- define "blog.image" -}}
{{- include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global) -}}
{{- end -}}
