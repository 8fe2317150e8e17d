grep -q '贝塔重视资源循环利用，𠀀字也在。' out/zh/china/beta/index.html
