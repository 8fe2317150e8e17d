# the Chinese translation saved as GB18030 and declared: it builds
printf -- '---\nencoding: gb18030\n---\n\n## 社会经济概况\n\n贝塔重视资源循环利用，𠀀字也在。\n\n## 良好实践\n\n分类。\n' |
    iconv -f UTF-8 -t GB18030 > content/china/beta.zh.md
