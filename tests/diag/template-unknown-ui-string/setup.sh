sed -i 's|<h1>{{title}} ({{count}}, {{kind}}, {{count_text}})</h1>|<h1>{{title}} ({{count}}, {{kind}}, {{count_text}})</h1>\n<p>{{t.no_such_key}}</p>|' layouts/section.mustache
