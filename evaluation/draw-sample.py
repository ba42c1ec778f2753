# Draws a sample of reviews to label for `voc eval channels` (evaluation/README.md), printing JSON
# lines {"pool", "id", "text"} to stdout. Texts stay outside the repository: label them, then keep
# only the labels and `text_sha256` (see README).
#
#   python3 evaluation/draw-sample.py SEED [EXCLUDE.jsonl|-] [heavy|light|rest] [wide] [EXCLUDE.jsonl...]
#
# Every text of the dev gold set and of the labelled evaluation/*.jsonl files present at the time is
# excluded, plus the files named. Shopping: 140 reviews with cue words of two or more channel
# groups (the gold README's groups), and with `heavy` also one of the breakpoint words (EXTRA; `wide`
# adds more); food delivery: 10 reviews with one group and one of those words.
#   F: SEED 20261211 - heavy            (with A-E present)
#   G: SEED 20261212 F.jsonl light      (with A-E present; F excluded through its draw)
#   H: SEED 20261213 - heavy wide       (with A-G present)
#   I: SEED 20261214 H.jsonl light      (with A-G present)
#   J: SEED 20261215 - light            (with A-I present)
#   K: SEED 20261216 J.jsonl light      (with A-I present)
#   L: SEED 20261217 - light            (with A-K present)
#   M: SEED 20261218 L.jsonl light      (with A-K present)
#   N: SEED 20261219 - light            (with A-M present)
#   O: SEED 20261220 N.jsonl light      (with A-M present)
#   P: SEED 20261221 - light            (with A-O present)
#   Q: SEED 20261222 P.jsonl light      (with A-O present)
#   S: SEED 20261223 R.jsonl light      (with A-Q present; R = questions-sample-r.jsonl)
#   T: SEED 20261224 RS.jsonl light     (R and S concatenated)
#   U: SEED 20261225 RST.jsonl light    (R, S and T concatenated); a fourth such draw fails: the stratum is used up
#      (2026-12-07, fifteenth session: 33 such shopping reviews are left outside every sample, and no food-delivery
#      review with two groups; the script says so instead of failing in random.sample)
#   V: SEED 20261228 - rest             (every labelled file but V present; `rest`: the 27 unused shopping reviews with two
#      or more groups, 113 with one group, 10 food-delivery reviews with one group)
# Since V every labelled file of evaluation/ is excluded (before, only channels-unseen-*: V's draw named the
# question and breakpoint samples as EXCLUDE files).
# The first session's samples A-E used the gold README's strata with their own seeds (README table).
import csv, json, os, random, re, sys
D=os.environ.get('VOC_SHARED_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data'))
G={'website':'官网 网站 网页 官方商城','app':'App APP 客户端 小程序 公众号','marketplace':'京东 天猫 淘宝 旗舰店 拼多多 携程 美团 网店','store':'门店 实体店 专卖店 专柜 柜台 4S店 商场 前台 线下','customer_service':'客服 热线 400 人工服务','delivery':'物流 快递 配送 送货 快递员 骑手 送餐','after_sales':'售后 维修 保修 退货 换货 退款','social_media':'微博 抖音 小红书 朋友圈 直播'}
def has(t,w):
    if w in ('App','APP'):
        return re.search(w+'(?![A-Za-z])',t) is not None
    if w=='400':
        return re.search(r'(?<!\d)400(?!\d)',t) is not None
    return w in t
def groups(t): return sum(1 for g,ws in G.items() if any(has(t,w) for w in ws.split()))
EXTRA=['却','结果','让我','又说','推给','说是','显示'] if len(sys.argv)<=4 else ['却','结果','让我','又说','推给','说是','显示','告诉我','答应','承诺','不给','不让','找了','叫我','要我']
used=set()
for l in open(D+'/gold/channels-dev.jsonl'):
    o=json.loads(l); used.add((o['pool'],str(o['id'])))
import glob
# Every labelled file of evaluation/ (channel, question and breakpoint samples), as corpora.mjs excludes them.
for f in glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.jsonl"))+[a for a in sys.argv[2:3] if a!="-"]+[a for a in sys.argv[5:]]:
    for l in open(f):
        o=json.loads(l); used.add((o['pool'],str(o['id'])))
def rows(pool):
    seen=set(); out=[]
    if pool=='online_shopping':
        r=csv.DictReader(open(D+'/sentiment/online_shopping_10_cats.csv',encoding='utf-8'))
        for row in r:
            t=(row['review'] or '').replace('\ufeff','')
            if not t.strip() or t in seen: continue
            seen.add(t); out.append((row['id'],t))
    else:
        r=csv.DictReader(open(D+'/sentiment/waimai_10k.csv',encoding='utf-8'))
        for i,row in enumerate(r):
            t=(row['review'] or '').replace('\ufeff','')
            if not t.strip() or t in seen: continue
            seen.add(t); out.append((str(i),t))
    return [(i,t) for i,t in out if (pool,i) not in used]
def require(*strata):
    """Stops with a message naming the first stratum with fewer unused reviews than a draw needs."""
    for name,have,need in strata:
        if have<need:
            sys.exit(f'draw-sample: only {have} unused {name} are left, {need} needed: this stratum is used up (every earlier sample and the dev set are excluded); draw another kind of sample')
seed=int(sys.argv[1]); rnd=random.Random(seed)
shop=rows('online_shopping'); wm=rows('waimai')
if len(sys.argv)>3 and sys.argv[3]=='rest':
    # What the channel-rich strata leave: every unused shopping review with cue words of two or more
    # groups, shopping reviews with one group to make 140, and 10 food-delivery reviews with one group.
    s2=[x for x in shop if groups(x[1])>=2]
    s1=[x for x in shop if groups(x[1])==1]
    w1=[x for x in wm if groups(x[1])>=1]
    print(len(s2),len(s1),len(w1),file=sys.stderr)
    require(('shopping reviews with cue words of one group or more',len(s2)+len(s1),140),('food-delivery reviews with a cue word',len(w1),10))
    pick=[('online_shopping',)+x for x in rnd.sample(s2,min(len(s2),140))]
    pick+=[('online_shopping',)+x for x in rnd.sample(s1,140-len(pick))]+[('waimai',)+x for x in rnd.sample(w1,10)]
    for p,i,t in pick: print(json.dumps({'pool':p,'id':int(i),'text':t},ensure_ascii=False))
    sys.exit(0)
heavy=sys.argv[3]=='heavy' if len(sys.argv)>3 else True
s2=[x for x in shop if groups(x[1])>=2 and (not heavy or any(w in x[1] for w in EXTRA))]
w1=[x for x in wm if groups(x[1])>=1 and any(w in x[1] for w in EXTRA)]
print(len(s2),len(w1),file=sys.stderr)
require(('shopping reviews with cue words of two or more groups'+(' and a breakpoint word' if heavy else ''),len(s2),140),('food-delivery reviews with a cue word and a breakpoint word',len(w1),10))
pick=[('online_shopping',)+x for x in rnd.sample(s2,140)]+[('waimai',)+x for x in rnd.sample(w1,10)]
for p,i,t in pick: print(json.dumps({'pool':p,'id':int(i),'text':t},ensure_ascii=False))
