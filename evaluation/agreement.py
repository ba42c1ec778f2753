# Agreement between two annotators of the same sample (evaluation/README.md, "Agreement"):
#   python3 evaluation/agreement.py evaluation/channels-unseen-f.jsonl evaluation/second-annotation/channels-unseen-f.jsonl
# The second file is scored against the first with the figures of `voc eval channels` (channels
# micro-F1, polarity agreement on channels both name, sentiment agreement), except that a breakpoint
# counts only when both flag it with the same pair; plus Cohen's kappa of the breakpoint and question flags.
import json,sys
A=[json.loads(l) for l in open(sys.argv[1])]; B=[json.loads(l) for l in open(sys.argv[2])]
assert [(a['pool'],a['id']) for a in A]==[(b['pool'],b['id']) for b in B]
tp=fp=fn=0; pr=pn=0; btp=bfp=bfn=0; qtp=qfp=qfn=0; st=0; kindr=0
flagA=[];flagB=[];qA=[];qB=[]
for a,b in zip(A,B):
    ga={c['channel']:c['polarity'] for c in a['channels']}; gb={c['channel']:c['polarity'] for c in b['channels']}
    tp+=len(ga.keys()&gb.keys()); fp+=len(gb.keys()-ga.keys()); fn+=len(ga.keys()-gb.keys())
    for c in ga.keys()&gb.keys():
        pn+=1; pr+= ga[c]==gb[c]
    if b['breakpoint']:
        if a['breakpoint'] and sorted(a['breakpoint_channels'])==sorted(b['breakpoint_channels']):
            btp+=1; kindr+= a['breakpoint_kind']==b['breakpoint_kind']
        else: bfp+=1
    if a['breakpoint'] and not (b['breakpoint'] and sorted(a['breakpoint_channels'])==sorted(b['breakpoint_channels'])): bfn+=1
    qtp+= a['question'] and b['question']; qfp+= b['question'] and not a['question']; qfn+= a['question'] and not b['question']
    st+= a['sentiment']==b['sentiment']
    flagA.append(a['breakpoint']); flagB.append(b['breakpoint']); qA.append(a['question']); qB.append(b['question'])
def f1(t,p,n): P=t/(t+p) if t+p else 0; R=t/(t+n) if t+n else 0; return P,R,(2*P*R/(P+R) if P+R else 0)
def kappa(x,y):
    n=len(x); po=sum(a==b for a,b in zip(x,y))/n; pa=sum(x)/n; pb=sum(y)/n; pe=pa*pb+(1-pa)*(1-pb); return (po-pe)/(1-pe) if pe<1 else 1
c=f1(tp,fp,fn); b=f1(btp,bfp,bfn); q=f1(qtp,qfp,qfn)
flagt=sum(a and b for a,b in zip(flagA,flagB))
print(json.dumps({'n':len(A),'channels_f1':round(c[2],3),'polarity_agreement':round(pr/pn,3),'polarity_n':pn,'breakpoint':{'P':round(b[0],3),'R':round(b[1],3),'F1':round(b[2],3),'A':sum(flagA),'B':sum(flagB),'both_flag':flagt,'kappa_flag':round(kappa(flagA,flagB),3),'kind_agree_on_tp':kindr},'question':{'P':round(q[0],3),'R':round(q[1],3),'F1':round(q[2],3),'A':sum(qA),'B':sum(qB),'kappa':round(kappa(qA,qB),3)},'sentiment_agreement':round(st/len(A),3)}))
