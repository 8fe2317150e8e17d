# the Chinese translation saved as UTF-16LE with a BOM, CRLF line ends
{ printf '\xff\xfe'; printf -- '---\r\n---\r\n\r\n## 社会经济概况\r\n\r\n贝塔重视资源循环利用。\r\n\r\n## 良好实践\r\n\r\n分类。\r\n' | iconv -f UTF-8 -t UTF-16LE; } > content/china/beta.zh.md
