#!/usr/bin/env python3
"""Maps the rule handles of ../shared/kernel-results to the handles of the captures.

The kernel runs reloaded each capture into a fresh namespace (iptables-nft tables with
iptables-nft-restore, the other tables from ruleset.nft), so the kernel's traces carry new
handles. This script repeats that load in a private namespace (run as root), lists the
result and pairs its rules with the capture's ruleset.json by (family, table, chain,
position), checking that the rules are the same. Output: sim_data/handles/<scenario>.json,
{"family table chain handle": capture_handle}. Usage: python3 kernel_handles.py SHARED_DIR
"""
import json, os, re, subprocess, sys

shared = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, 'handles'), exist_ok=True)


def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k != 'counter'} if 'counter' not in x else {'counter': None}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x


def rules(doc):
    out = {}
    for o in doc['nftables']:
        if 'rule' in o:
            r = o['rule']
            out.setdefault((r['family'], r['table'], r['chain']), []).append(r)
    return out


def ipt_tables(path, fam):
    if not os.path.exists(path):
        return []
    return [(fam, l[1:].strip()) for l in open(path) if l.startswith('*')]


for f in sorted(os.listdir(os.path.join(shared, 'kernel-results'))):
    if not f.endswith('.packets.jsonl'):
        continue
    scen = f[:-len('.packets.jsonl')]
    cap = os.path.join(shared, 'captures', scen)
    ipt = ipt_tables(os.path.join(cap, 'iptables-nft-save.txt'), 'ip') + \
        ipt_tables(os.path.join(cap, 'ip6tables-nft-save.txt'), 'ip6')
    # ruleset.nft without the iptables-nft tables.
    text = open(os.path.join(cap, 'ruleset.nft')).read()
    blocks = re.split(r'(?m)^(?=table )', text)
    keep = [b for b in blocks if b.strip() and tuple(b.split()[1:3]) not in set(ipt)]
    script = 'set -e\n'
    for name, fam in (('iptables-nft-save.txt', 'iptables'), ('ip6tables-nft-save.txt', 'ip6tables')):
        p = os.path.join(cap, name)
        if os.path.exists(p):
            script += f'{fam}-nft-restore < {p}\n'
    script += 'nft -f /dev/stdin <<"NFT_EOF"\n' + ''.join(keep) + '\nNFT_EOF\nnft -j list ruleset\n'
    out = subprocess.run(['unshare', '-n', 'bash', '-c', script], capture_output=True, text=True, check=True).stdout
    reload, orig = rules(json.loads(out)), rules(json.load(open(os.path.join(cap, 'ruleset.json'))))
    mapping = {}
    for key, rs in reload.items():
        os_ = orig.get(key, [])
        assert len(os_) == len(rs), (scen, key)
        for a, b in zip(rs, os_):
            assert strip(a['expr']) == strip(b['expr']), (scen, key, a['handle'])
            mapping[' '.join(key) + ' ' + str(a['handle'])] = b['handle']
    with open(os.path.join(here, 'handles', scen + '.json'), 'w') as fh:
        json.dump(mapping, fh, indent=0, sort_keys=True)
    print(scen, len(mapping), 'rules mapped')
