grep -q '<p>贝塔重视资源循环利用。</p>' out/zh/china/beta/index.html
