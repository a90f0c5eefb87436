# Run once, by hand: python3 coinbase_level2_convert.py COINBASE.ws.28.0 coinbase_level2_2products.txt
# Coinbase Pro level2 content (snapshot + l2update + ticker) -> Advanced Trade frames, and the
# final books computed with Python's decimal module (the expected tops of coinbase_replay_test.cpp).
import json, datetime, sys
from decimal import Decimal
SRC=sys.argv[1]  # the Pro capture COINBASE.ws.28.0 of cryptofeed's sample data
PRODUCTS=['BAND-GBP','SKL-GBP']
N_UPDATES=450
def iso(t):
    s=f"{t:.6f}"; sec,us=s.split('.')
    d=datetime.datetime.fromtimestamp(int(sec),datetime.timezone.utc)
    return d.strftime('%Y-%m-%dT%H:%M:%S')+'.'+us+'000Z'
frames=[]; seq=0; nupd=0; last_sec=None; hb=0
books={p:{'bid':{},'offer':{}} for p in PRODUCTS}
tickers=[]
def emit(obj):
    global seq
    obj['sequence_num']=seq; seq+=1
    frames.append(obj)
def env(channel,t,events):
    return {'channel':channel,'client_id':'','timestamp':iso(t),'events':events}
first=True
for line in open(SRC):
    if line.startswith('wss://') or ': ' not in line: continue
    t,payload=line.split(': ',1); t=float(t); m=json.loads(payload)
    if m.get('product_id') not in PRODUCTS: continue
    if first:
        emit(env('subscriptions',t,[{'subscriptions':{'level2':PRODUCTS,'heartbeats':['heartbeats']}}])); first=False
    sec=int(t)
    if last_sec is not None and sec!=last_sec:
        hb+=1
        emit(env('heartbeats',t,[{'current_time':datetime.datetime.fromtimestamp(sec,datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')+'.000000000 +0000 UTC m=+%d.000000001'%hb,'heartbeat_counter':str(hb)}]))
    last_sec=sec
    ty=m['type']; p=m['product_id']
    if ty=='snapshot':
        ups=[{'side':'bid','event_time':iso(t),'price_level':pr,'new_quantity':q} for pr,q in m['bids']]
        ups+=[{'side':'offer','event_time':iso(t),'price_level':pr,'new_quantity':q} for pr,q in m['asks']]
        books[p]={'bid':{Decimal(a):(a,b) for a,b in m['bids']},'offer':{Decimal(a):(a,b) for a,b in m['asks']}}
        emit(env('l2_data',t,[{'type':'snapshot','product_id':p,'updates':ups}]))
    elif ty=='l2update':
        if nupd>=N_UPDATES: continue
        nupd+=1
        ups=[]
        for side,pr,q in m['changes']:
            s='bid' if side=='buy' else 'offer'
            ups.append({'side':s,'event_time':m['time'],'price_level':pr,'new_quantity':q})
            if Decimal(q)==0: books[p][s].pop(Decimal(pr),None)
            else: books[p][s][Decimal(pr)]=(pr,q)
        emit(env('l2_data',t,[{'type':'update','product_id':p,'updates':ups}]))
    elif ty=='ticker' and nupd<N_UPDATES:
        emit(env('ticker',t,[{'type':'update','tickers':[{'type':'ticker','product_id':p,'price':m['price'],'best_bid':m['best_bid'],'best_ask':m['best_ask']}]}]))
    if nupd>=N_UPDATES and ty=='l2update': pass
# stop after the last update: trim trailing heartbeats/tickers past N_UPDATES
while frames[-1]['channel']!='l2_data': frames.pop()
with open(sys.argv[2],'w') as f:
    for fr in frames:
        order=['channel','client_id','timestamp','sequence_num','events']
        f.write(json.dumps({k:fr[k] for k in order},separators=(',',':'))+'\n')
from collections import Counter
print(len(frames),'frames', Counter(fr['channel'] for fr in frames), 'updates',nupd, 'last seq', frames[-1]['sequence_num'])
for p in PRODUCTS:
    b=books[p]
    bids=sorted(b['bid'].items(),reverse=True)[:5]; asks=sorted(b['offer'].items())[:5]
    print(p,len(b['bid']),len(b['offer']))
    print(' bids',[v for k,v in bids]); print(' asks',[v for k,v in asks])
